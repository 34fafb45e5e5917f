/**
 * The platform's words when it refuses a submission, without the lead the
 * panel's own sentence already says ("The submission was not accepted: …"
 * after "The platform did not accept the submission: "). Pure.
 */
const PLATFORM_LEAD = /^The submission was not accepted:\s*/;

export function refusalDetail(message: string): string {
  return message.replace(PLATFORM_LEAD, '');
}
