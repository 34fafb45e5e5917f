import { refusalDetail } from '../../jobs/refusal';

describe('refusalDetail', () => {
  it("drops the platform's lead, which the panel's sentence already says", () => {
    expect(
      refusalDetail(
        'The submission was not accepted: bad.ipynb is not a valid nbformat 4 notebook: cells[1] is null.'
      )
    ).toBe('bad.ipynb is not a valid nbformat 4 notebook: cells[1] is null.');
  });

  it('keeps any other message whole', () => {
    expect(refusalDetail('entry is required.')).toBe('entry is required.');
  });
});
