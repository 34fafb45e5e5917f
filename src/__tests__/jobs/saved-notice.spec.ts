import { nullTranslator } from '@jupyterlab/translation';
import { savedNotice } from '../../jobs/saved-notice';

const trans = nullTranslator.load('jupyterlab-vce');
const files = [{ name: 'a.csv', path: 'x', bytes: 1, sha256: 'f' }];

describe('the notice after Download into workspace', () => {
  it('names the folder it wrote', () => {
    expect(
      savedNotice(trans, {
        files,
        archive_bytes: 2048,
        folder: 'dcr-results/job_1',
        already_there: null
      })
    ).toBe('Saved 1 files (2.0 KiB) into dcr-results/job_1/.');
  });

  it('says why a second download is not in the first folder', () => {
    const text = savedNotice(trans, {
      files,
      archive_bytes: 2048,
      folder: 'dcr-results/job_1-2',
      already_there: 'dcr-results/job_1'
    });
    expect(text).toContain('into dcr-results/job_1-2/.');
    expect(text).toContain(
      'dcr-results/job_1 already exists (an earlier download of these results, or a file of yours)'
    );
    expect(text).toContain('nothing was overwritten');
  });
});
