import type { JobRecord, JobVerdict, OutputFile } from './model';

/** The words of the mails to the primary researcher (pure: tested as text). */

export function approvedMail(
  job: JobRecord,
  outputs: OutputFile[],
  link: string,
  expiresAt: string
): { subject: string; text: string } {
  const files = outputs
    .map(
      output =>
        `  - ${output.name} (${output.bytes} bytes, SHA-256 ${output.sha256})`
    )
    .join('\n');
  return {
    subject: `[VCE] Results of job ${job.jobId} (${job.entry}) are approved`,
    text: [
      'Hello,',
      '',
      `The results of your Data Clean Room job ${job.jobId} (${job.entry}) passed the aggregation review and are ready to download:`,
      '',
      `  ${link}`,
      '',
      `The link works until ${expiresAt} (UTC) and needs no sign-in: do not forward it.`,
      '',
      'The zip holds:',
      files || '  (no result files)',
      '  - manifest.json: the files and their SHA-256',
      "  - attestation.jws: the platform's signed statement of the job (verify it against /.well-known/jwks.json)",
      '',
      '-- The Virtual Compute Environment'
    ].join('\n')
  };
}

export function rejectedMail(
  job: JobRecord,
  verdict: JobVerdict
): { subject: string; text: string } {
  const reasons = verdict.findings
    .filter(
      finding =>
        finding.severity === 'fail' || verdict.decided_by === 'reviewer'
    )
    .map(finding => `  - ${findingLine(finding)}`);
  if (verdict.reviewer_reason) {
    reasons.unshift(`  - Reviewer: ${verdict.reviewer_reason}`);
  }
  return {
    subject: `[VCE] Results of job ${job.jobId} (${job.entry}) were not released`,
    text: [
      'Hello,',
      '',
      `The results of your Data Clean Room job ${job.jobId} (${job.entry}) did not pass the aggregation review, so nothing was released.`,
      '',
      'Why:',
      ...(reasons.length > 0 ? reasons : ['  - (no reason recorded)']),
      '',
      'Only aggregated results may leave the clean room: change the script so that its outputs hold no identifiers,',
      'no verbatim texts and no small counts, try it with a test run, and submit it again.',
      '',
      '-- The Virtual Compute Environment'
    ].join('\n')
  };
}

/**
 * One reason of a rejection mail, naming its place once: a finding's message
 * that starts with its file already says where (the file, often the columns
 * and rows too), so it stands alone; otherwise the file leads, with the
 * location unless the message already holds it.
 */
export function findingLine(finding: {
  file: string;
  location?: string | null;
  message: string;
}): string {
  const { file, location, message } = finding;
  if (file && message.startsWith(file)) {
    return message;
  }
  const place =
    location && !message.includes(location) ? `${file} (${location})` : file;
  return `${place}: ${message}`;
}
