import { ALICE } from '../helpers/helpers';
import {
  startJobsPlatform,
  TEST_LIMITS,
  type JobsPlatform
} from '../helpers/jobs-helpers';

/**
 * Scripts that try to leak the data: each must end rejected, failed or killed,
 * with the right reason, and the platform must stay up. Scripts read the
 * data the way a researcher's would (pyrqs over the job's data socket).
 */

const READ_VIDEOS = `from pyrqs import rqs
records = list(rqs.RQSClient().iter_query(category="video", fields="id,username,display_name,region_code,video_description,like_count", page_size=1000))
`;

interface Leak {
  name: string;
  script: string;
  /** The statuses it may end in. */
  ends: string[];
  /** What the verdict, the reason or the failure must say. */
  says: RegExp;
}

const LEAKS: Leak[] = [
  {
    name: 'raw rows to a file',
    script: `${READ_VIDEOS}import csv
with open("output/rows.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["region_code", "like_count"])
    for r in records:
        w.writerow([r["region_code"], r["like_count"]])
`,
    ends: ['rejected'],
    says: /rows\.csv.*(row|record)/is
  },
  {
    name: 'ids to stdout',
    script: `${READ_VIDEOS}for r in records[:20]:
    print(r["id"])
`,
    ends: ['rejected'],
    says: /stdout\.txt/
  },
  {
    name: 'display names in JSON',
    script: `${READ_VIDEOS}import json
json.dump({"top": [r["display_name"] for r in records[:30]], "n": len(records)}, open("output/summary.json", "w"))
`,
    ends: ['rejected'],
    says: /summary\.json/
  },
  {
    name: 'per-id groups',
    script: `${READ_VIDEOS}import csv
from collections import Counter
counts = Counter(r["username"] for r in records)
with open("output/per_user.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["username", "videos"])
    for user, n in counts.items():
        w.writerow([user, n])
`,
    ends: ['rejected'],
    says: /per_user\.csv.*username|username.*per_user\.csv/is
  },
  {
    name: 'small counts',
    script: `${READ_VIDEOS}import csv
from collections import Counter
counts = Counter((r["region_code"], r["like_count"] % 7) for r in records)
with open("output/small.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["region_code", "bucket", "count"])
    for (region, bucket), n in sorted(counts.items()):
        w.writerow([region, bucket, n])
`,
    ends: ['rejected'],
    says: /small\.csv/
  },
  {
    name: 'encoded identifiers',
    script: `${READ_VIDEOS}import base64
with open("output/codes.txt", "w") as f:
    for r in records[:25]:
        f.write(base64.b64encode(str(r["id"]).encode()).decode() + "\\n")
`,
    ends: ['rejected'],
    says: /codes\.txt/
  },
  {
    name: 'verbatim descriptions',
    script: `${READ_VIDEOS}long = [r["video_description"] for r in records if len(r.get("video_description", "").split()) >= 12][:5]
with open("output/notes.txt", "w") as f:
    f.write("Some examples of what people wrote:\\n")
    for text in long:
        f.write(text + "\\n")
`,
    ends: ['rejected'],
    says: /notes\.txt/
  },
  {
    name: 'a file outside the output folder',
    script: `open("../../stolen.txt", "w").write("outside")\n`,
    ends: ['failed'],
    says: /PermissionError|FileNotFoundError|OSError/
  },
  {
    name: 'a network call',
    script: `import socket\nsocket.create_connection(("1.1.1.1", 80), timeout=3)\n`,
    ends: ['failed'],
    says: /OSError|TimeoutError|ConnectionRefusedError|gaierror/
  },
  {
    name: "reading the platform's database",
    script: `import os, glob
path = os.environ.get("VCE_DATA_DIR") or "${'${DATA_DIR}'}"
open(os.path.join(path, "vce-mock.sqlite"), "rb").read(100)
`,
    ends: ['failed'],
    says: /PermissionError|FileNotFoundError|OSError/
  },
  {
    name: "another job's files",
    script: `import os
open(os.path.join("${'${DATA_DIR}'}", "jobs", "${'${OTHER_JOB}'}", "submitted", "analysis.py")).read()
`,
    ends: ['failed'],
    says: /PermissionError|FileNotFoundError|OSError/
  },
  {
    name: 'a fork bomb',
    script: `import os\nwhile True:\n    os.fork()\n`,
    ends: ['failed', 'timed_out'],
    says: /process|BlockingIOError|OSError|limit/i
  },
  {
    name: 'a memory hog',
    script: `hog = []\nwhile True:\n    hog.append(bytearray(50 * 1024 * 1024))\n`,
    ends: ['failed'],
    says: /memory/i
  },
  {
    name: 'an endless loop',
    script: `while True:\n    pass\n`,
    ends: ['timed_out', 'failed'],
    says: /time/i
  }
];

describe('leaking and hostile scripts', () => {
  let platform: JobsPlatform;
  let alice: string;
  let otherJob: string;
  beforeAll(async () => {
    platform = await startJobsPlatform({
      jobs: {
        limits: { ...TEST_LIMITS, wallSeconds: 8, cpuSeconds: 6 },
        workers: 2
      }
    });
    alice = await platform.signIn(ALICE);
    otherJob = (
      await platform.submit(alice, 'analysis.py', {
        'analysis.py': 'print("the other job")\n'
      })
    ).json().data.job_id;
  });
  afterAll(async () => platform.close());

  it.each(LEAKS.map(leak => [leak.name, leak] as const))(
    '%s: refused with the reason',
    async (_name, leak) => {
      const script = leak.script
        .replace(/\$\{DATA_DIR\}/g, platform.dataDir)
        .replace(/\$\{OTHER_JOB\}/g, otherJob);
      const job = (
        await platform.submit(alice, 'leak.py', { 'leak.py': script })
      ).json().data;
      const done = await platform.waitFor(
        alice,
        job.job_id,
        [
          'approved',
          'rejected',
          'failed',
          'timed_out',
          'cancelled',
          'manual_review'
        ],
        90_000
      );
      expect(leak.ends).toContain(done.status);
      const explanation = JSON.stringify({
        reason: done.reason,
        failure: done.failure,
        findings: done.verdict?.findings ?? []
      });
      expect(explanation).toMatch(leak.says);
      expect(done.result_available).toBe(false);
      // Nothing was released, and the platform still answers.
      expect(
        (
          await platform.call('GET', `/v2/vce/jobs/${job.job_id}/result/`, {
            token: alice
          })
        ).status
      ).toBe(409);
      expect(
        (await platform.call('GET', '/v2/vce/quota/', { token: alice })).status
      ).toBe(200);
    }
  );
});
