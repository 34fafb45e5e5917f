import type { CollectedOutputs } from '../runner/executor';
import { writeReleaseArchive } from '../release/archive';
import { signStatement } from '../release/attestation';
import { linkDigest, linkUrl, newLinkToken } from '../release/links';
import { buildDisclosureIndex, reviewOutputs } from '../review';
import type { LifecycleDeps, LifecycleSettings } from './lifecycle-deps';
import { approvedMail, rejectedMail } from './messages';
import type { JobRecord, JobStatus, JobVerdict, OutputFile } from './model';
import { jobDefinition } from './paths';
import type { StatusMoves } from './status-moves';

/**
 * After a script finished: the review of its outputs, then the release (zip,
 * link, mail, attestation in one transaction), the refusal, or the wait for a
 * reviewer's decision; a test run only gets the verdict. Mail leaves here too.
 */
export class ReleaseStep {
  constructor(
    private readonly deps: LifecycleDeps,
    private readonly settings: LifecycleSettings,
    private readonly moves: StatusMoves
  ) {}

  /** A reviewer's decision on a job in manual review. */
  async decide(
    jobId: string,
    reviewerKey: string,
    decision: 'approved' | 'rejected',
    reason: string
  ): Promise<JobRecord | null> {
    const job = this.deps.jobs.get(jobId);
    // One decision per job: a second reviewer deciding at the same moment gets null (409).
    if (
      !job ||
      job.status !== 'reviewing' ||
      job.verdict?.decision !== 'manual_review' ||
      this.deciding.has(jobId)
    ) {
      return null;
    }
    this.deciding.add(jobId);
    try {
      return await this.decideNow(job, reviewerKey, decision, reason);
    } finally {
      this.deciding.delete(jobId);
    }
  }

  private async decideNow(
    job: JobRecord,
    reviewerKey: string,
    decision: 'approved' | 'rejected',
    reason: string
  ): Promise<JobRecord | null> {
    const jobId = job.jobId;
    const verdict: JobVerdict = {
      findings: job.verdict?.findings ?? [],
      decision,
      decided_by: 'reviewer',
      reviewer_reason: reason,
      reviewed_at: this.moves.iso()
    };
    try {
      await (decision === 'approved'
        ? this.approve(job, verdict)
        : this.reject(job, verdict));
    } catch (error) {
      await this.moves.platformFault(jobId, error);
    }
    const after = this.deps.jobs.get(jobId);
    if (after?.status === decision) {
      this.deps.store.audit(
        this.deps.now(),
        reviewerKey,
        `review_${decision}`,
        `job=${jobId}`
      );
    }
    return after;
  }

  /** Review a job's outputs (collected by the executor's finalize), then release, refuse or send them to a reviewer. */
  async review(jobId: string): Promise<void> {
    const { paths, jobs } = this.deps;
    const job = jobs.get(jobId)!;
    let verdict: JobVerdict;
    let outputs: OutputFile[];
    try {
      // Review and release only a copy the job never had access to.
      // Its data token was revoked when it exited: finalize reads only files.
      const definition = jobDefinition(paths, job, this.settings.limits, '');
      let collected: CollectedOutputs;
      try {
        collected = (await this.deps.executor.finalize(definition)).collected!;
      } finally {
        await this.deps.executor.cleanup(definition);
      }
      const outputDir = paths.collectedDir(jobId);
      const reviewed = await reviewOutputs({
        outputDir,
        logs: [
          { name: 'stdout.txt', path: paths.stdoutPath(jobId) },
          { name: 'stderr.txt', path: paths.stderrPath(jobId) }
        ],
        recordsRead: job.recordsRead,
        index: await buildDisclosureIndex(this.deps.publicData),
        config: this.settings.review,
        // Differencing against the client's earlier releases; a test run releases nothing and is compared only within itself.
        history:
          job.stage === 'test'
            ? null
            : {
                jobId,
                previous: structures =>
                  jobs.tablesLike(job.clientKey, structures, jobId)
              }
      });
      if (job.stage !== 'test') {
        jobs.saveTables(jobId, job.clientKey, reviewed.tables);
      }
      // The review read the collected copy and the logs: its files are the outputs.
      outputs = reviewed.files.map(file => ({
        name: file.name,
        bytes: file.bytes,
        sha256: file.sha256,
        kind: file.kind
      }));
      const leftBehind = collected.problems.map(message => ({
        rule: 'file_type',
        severity: 'fail' as const,
        file: 'output/',
        location: null,
        message
      }));
      const findings = [...leftBehind, ...reviewed.findings];
      const decision = leftBehind.length ? 'rejected' : reviewed.decision;
      verdict = {
        decision,
        findings,
        decided_by: 'automatic',
        reviewer_reason: null,
        reviewed_at: this.moves.iso()
      };
    } catch (error) {
      this.deps.log(
        `job ${jobId}: review failed: ${(error as Error).stack ?? String(error)}`
      );
      this.moves.finish(jobId, 'failed', {
        reason:
          'The automatic review could not read the outputs; nothing was released. Report it with the job id.'
      });
      await this.moves.attest(jobId);
      return;
    }
    jobs.setOutputs(jobId, outputs);
    try {
      if (job.stage === 'test') {
        await this.finishTestRun(job, verdict);
      } else if (verdict.decision === 'approved') {
        await this.approve(job, verdict);
      } else if (verdict.decision === 'rejected') {
        await this.reject(job, verdict);
      } else {
        jobs.setVerdict(
          jobId,
          verdict,
          this.moves.iso(),
          'Sent to manual review: a reviewer decides.'
        );
        this.moves.published(jobId, 'reviewing');
      }
    } catch (error) {
      await this.moves.platformFault(jobId, error);
    }
  }

  private async approve(job: JobRecord, verdict: JobVerdict): Promise<void> {
    const { jobs, paths } = this.deps;
    const id = job.jobId;
    const outputs = jobs.outputs(id);
    const finishedAt = this.moves.iso();
    const jws = await signStatement(
      this.deps.signingKey,
      this.moves.statement(job, 'approved', verdict, outputs, finishedAt)
    );
    const archive = paths.archivePath(id);
    const written = await writeReleaseArchive(
      archive,
      name => paths.outputSource(id, name),
      outputs,
      {
        job_id: id,
        entry: job.entry,
        released_at: finishedAt,
        verdict:
          verdict.decided_by === 'reviewer'
            ? 'approved by a reviewer'
            : 'approved by the automatic review',
        files: outputs.map(output => ({
          name: `results/${output.name}`,
          bytes: output.bytes,
          sha256: output.sha256
        })),
        attestation: 'attestation.jws',
        verify:
          "Check attestation.jws against the platform's key at /.well-known/jwks.json; it names the SHA-256 of every result."
      },
      jws
    );
    const token = newLinkToken();
    const expiresAt = new Date(
      this.deps.now().getTime() + this.settings.linkTtlSeconds * 1000
    ).toISOString();
    const recipient = this.deps.store.getClient(job.clientKey)?.email ?? '';
    const mail = approvedMail(
      job,
      outputs,
      linkUrl(this.settings.publicUrl(), token),
      expiresAt
    );
    // One transaction: approved, the release, the mail and the attestation together, or none (never released twice).
    const done = this.deps.store.immediate(() => {
      if (
        !jobs.move(
          id,
          'approved',
          finishedAt,
          {
            verdict,
            finishedAt,
            reason: null,
            note:
              verdict.decided_by === 'reviewer' ? 'Approved by a reviewer.' : ''
          },
          ['reviewing']
        )
      ) {
        return false;
      }
      jobs.createRelease({
        jobId: id,
        tokenDigest: linkDigest(token),
        createdAt: finishedAt,
        expiresAt,
        archive,
        archiveSha256: written.sha256,
        archiveBytes: written.bytes
      });
      jobs.queueMail({
        jobId: id,
        kind: 'approved',
        recipient,
        subject: mail.subject,
        body: mail.text,
        createdAt: finishedAt
      });
      jobs.saveAttestation(id, jws, finishedAt);
      return true;
    });
    if (done) {
      this.moves.published(id, 'approved');
      await this.flushMail();
    }
  }

  private async reject(job: JobRecord, verdict: JobVerdict): Promise<void> {
    const { jobs } = this.deps;
    const id = job.jobId;
    const finishedAt = this.moves.iso();
    const jws = await signStatement(
      this.deps.signingKey,
      this.moves.statement(
        job,
        'rejected',
        verdict,
        jobs.outputs(id),
        finishedAt
      )
    );
    const recipient = this.deps.store.getClient(job.clientKey)?.email ?? '';
    const mail = rejectedMail(job, verdict);
    const done = this.deps.store.immediate(() => {
      if (
        !jobs.move(
          id,
          'rejected',
          finishedAt,
          {
            verdict,
            finishedAt,
            note:
              verdict.decided_by === 'reviewer' ? 'Rejected by a reviewer.' : ''
          },
          ['reviewing']
        )
      ) {
        return false;
      }
      jobs.queueMail({
        jobId: id,
        kind: 'rejected',
        recipient,
        subject: mail.subject,
        body: mail.text,
        createdAt: finishedAt
      });
      jobs.saveAttestation(id, jws, finishedAt);
      return true;
    });
    if (done) {
      this.moves.published(id, 'rejected');
      await this.flushMail();
    }
  }

  /**
   * A test run ends with the verdict the review would give, and nothing else:
   * `approved` when no rule failed (the verdict may still say a reviewer would
   * look), `rejected` otherwise; no link, no mail, no reviewer.
   */
  private async finishTestRun(
    job: JobRecord,
    verdict: JobVerdict
  ): Promise<void> {
    const { jobs } = this.deps;
    const id = job.jobId;
    const finishedAt = this.moves.iso();
    const status: JobStatus =
      verdict.decision === 'rejected' ? 'rejected' : 'approved';
    const note =
      verdict.decision === 'approved'
        ? 'Test run: the review would approve these outputs. Nothing is released from a test run; submit the script to run it on all data.'
        : verdict.decision === 'manual_review'
          ? 'Test run: a reviewer would look at these outputs before release. Nothing is released from a test run.'
          : 'Test run: the review would reject these outputs; see the findings. Nothing is released from a test run.';
    const jws = await signStatement(
      this.deps.signingKey,
      this.moves.statement(job, status, verdict, [], finishedAt)
    );
    const done = this.deps.store.immediate(() => {
      if (
        !jobs.move(id, status, finishedAt, { verdict, finishedAt, note }, [
          'reviewing'
        ])
      ) {
        return false;
      }
      jobs.saveAttestation(id, jws, finishedAt);
      return true;
    });
    if (done) {
      this.moves.published(id, status);
    }
  }

  /** Send every queued mail once; a mail that fails stays queued for the next try. */
  async flushMail(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      do {
        this.flushAgain = false;
        for (const mail of this.deps.jobs.unsentMail()) {
          try {
            const sent = await this.deps.mailer.send({
              to: mail.recipient,
              subject: mail.subject,
              text: mail.body,
              key: `${mail.jobId}-${mail.kind}`
            });
            this.deps.jobs.markMailSent(mail.id, {
              at: this.moves.iso(),
              ...sent
            });
          } catch (error) {
            this.deps.log(
              `mail for job ${mail.jobId} not sent yet: ${(error as Error).message}`
            );
          }
        }
      } while (this.flushAgain);
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private readonly deciding = new Set<string>();
  private flushing: Promise<void> | null = null;
  private flushAgain = false;
}
