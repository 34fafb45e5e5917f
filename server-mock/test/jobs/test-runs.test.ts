/**
 * Test runs rehearse the real job (issue 17 item 2): a test run accepts what a
 * job accepts (page sizes and limits up to 100,000) and reads the test stage's
 * sample; a failed job shows its exception's message and stderr's last lines,
 * reviewed so that nothing identifying leaks through an error.
 */
import { ALICE } from '../helpers/helpers';
import {
  JOB_TEST_VIDEOS,
  jobTestData,
  startJobsPlatform,
  type JobsPlatform
} from '../helpers/jobs-helpers';

const PAGED_ALL = `"""Videos per region, every video read with the execution stage's largest page."""
import csv
from collections import Counter

from pyrqs import rqs

client = rqs.RQSClient()
counts = Counter()
for record in client.iter_query(category="video", fields="region_code", page_size=100000):
    counts[record["region_code"]] += 1
one = client.query(category="video", fields="region_code", limit=100000)
with open("output/by_region.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["region_code", "video_count"])
    for region, count in sorted(counts.items()):
        if count >= 10:
            writer.writerow([region, count])
`;

const FAILING = `import sys

print("reading the regions", file=sys.stderr)
table = {"region_code": 1}
raise KeyError("the table has no column named 'regoin': use region_code")
`;

const LEAKING_ERROR = `from pyrqs import rqs

ids = [r["id"] for r in rqs.RQSClient().query(category="video", fields="id", limit=30)]
raise ValueError(f"these videos have no region: {ids}")
`;

const videoIds = (
  jobTestData().db.prepare('SELECT id FROM videos').pluck().all() as number[]
).map(String);

describe('test runs rehearse the real job', () => {
  let platform: JobsPlatform;
  let alice: string;
  beforeAll(async () => {
    platform = await startJobsPlatform();
    alice = await platform.signIn(ALICE);
  });
  afterAll(async () => platform.close());

  const used = async () =>
    (await platform.call('GET', '/v2/vce/quota/', { token: alice })).json().data
      .used as number;

  it('runs a script paging with page_size=100000 on the sample: approved, at most 1,000 records a query, charged', async () => {
    const before = await used();
    const done = await platform.runToEnd(
      alice,
      'paged_all.py',
      { 'paged_all.py': PAGED_ALL },
      { testRun: true }
    );
    expect(done.error_report).toBeNull();
    expect(done).toMatchObject({
      stage: 'test',
      status: 'approved',
      failure: null,
      result_available: false
    });
    // Two queries (iter_query's one page and query's sample), 1,000 records each: the sample, not the 3,000 videos.
    expect(done.records_read).toBe(2000);
    expect(await used()).toBe(before + 2000);

    // The same script as a real job reads every video, uncharged.
    const ran = await platform.runToEnd(alice, 'paged_all.py', {
      'paged_all.py': PAGED_ALL
    });
    expect(ran).toMatchObject({ status: 'approved', stage: 'execution' });
    expect(ran.records_read).toBe(2 * JOB_TEST_VIDEOS);
    expect(await used()).toBe(before + 2000);
  });

  it('answers a test run query past 1,000 with one page of the sample (no cursor), and refuses past 100,000 as a job does; a query task too', async () => {
    const probe = `from pyrqs import rqs
from pyrqs.errors import ValidationError
client = rqs.RQSClient()
pages = list(client.iter_query_pages(category="video", fields="id", page_size=5001))
assert len(pages) == 1 and pages[0].has_more is False and pages[0].cursor is None, pages
assert len(pages[0]) == 1000, len(pages[0])
try:
    client.query(category="video", fields="id", limit=100001)
except ValidationError as error:
    assert "1 to 100,000" in str(error), str(error)
else:
    raise AssertionError("limit 100001 was accepted")
task = client.create_query_task(category="video", fields="region_code", limit=100000)
client.wait_for_query_task(task, timeout=20, poll_interval=0.05)
assert len(list(client.iter_query_task_result(task, page_size=100000))) == 1000
print("probe passed")
`;
    const done = await platform.runToEnd(
      alice,
      'probe.py',
      { 'probe.py': probe },
      { testRun: true }
    );
    expect(done.error_report).toBeNull();
    expect(done.status).toBe('approved');
  });

  it("shows a failed job's exception type, message, line and stderr's last lines", async () => {
    const done = await platform.runToEnd(alice, 'regions.py', {
      'regions.py': FAILING
    });
    expect(done.status).toBe('failed');
    expect(done.failure).toEqual({
      type: 'KeyError',
      line: 5,
      file: 'regions.py'
    });
    expect(done.error_report).toMatchObject({
      message: `"the table has no column named 'regoin': use region_code"`,
      message_withheld: null,
      stderr_withheld: null
    });
    const tail: string[] = done.error_report.stderr_tail;
    expect(tail[0]).toBe('reading the regions');
    expect(tail).toContain('Traceback (most recent call last):');
    expect(tail.at(-1)).toBe(
      `KeyError: "the table has no column named 'regoin': use region_code"`
    );
  });

  it('withholds an error message and a stderr that carry video ids, and says why', async () => {
    for (const testRun of [false, true]) {
      const done = await platform.runToEnd(
        alice,
        'leaky_error.py',
        { 'leaky_error.py': LEAKING_ERROR },
        { testRun }
      );
      expect(done.status).toBe('failed');
      expect(done.failure).toEqual({
        type: 'ValueError',
        line: 4,
        file: 'leaky_error.py'
      });
      expect(done.error_report).toEqual({
        message: null,
        message_withheld: expect.stringMatching(
          /^withheld: the output review found identifiers of the data set/
        ),
        stderr_tail: [],
        stderr_withheld: expect.stringMatching(
          /^withheld: the output review found identifiers of the data set/
        )
      });
      // No id of the data set reaches the researcher anywhere in the job.
      const shown = JSON.stringify(done);
      expect(videoIds.filter(id => shown.includes(id))).toEqual([]);
    }
  });
});
