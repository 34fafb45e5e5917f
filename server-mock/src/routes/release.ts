import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { requireJobs } from '../http/guards';
import { ok } from '../http/reply';
import {
  linkDigest,
  linkState,
  mailedOrigin,
  RESULTS_PATH
} from '../release/links';

export const JWKS_PATH = '/.well-known/jwks.json';
export const OUTBOX_PATH = '/v2/vce/outbox/';

/**
 * Release routes: the emailed link (its unguessable token is the credential,
 * so no bearer), the outbox of mails, and the attestation key.
 */
export function registerReleaseRoutes(
  app: FastifyInstance,
  context: PlatformContext
): void {
  app.get<{ Params: { link_token: string } }>(
    `${RESULTS_PATH}:link_token`,
    { config: { public: true } },
    async (request, reply) => {
      const service = requireJobs(context);
      const release = service.store.releaseByDigest(
        linkDigest(request.params.link_token)
      );
      if (!release || !existsSync(release.archive)) {
        throw new ApiError(
          404,
          'not_found',
          'This result link is not valid: copy the whole link from the mail, or download the results from the Data Clean Room panel.'
        );
      }
      if (Date.parse(release.expiresAt) <= context.now().getTime()) {
        throw new ApiError(
          410,
          'link_expired',
          `This result link expired at ${release.expiresAt}: download the results from the Data Clean Room panel while signed in.`
        );
      }
      service.store.countDownload(release.jobId);
      context.store.audit(
        context.now(),
        null,
        'result_downloaded',
        `job=${release.jobId} via=link`
      );
      return reply
        .header('content-type', 'application/zip')
        .header(
          'content-disposition',
          `attachment; filename="${release.jobId}-results.zip"`
        )
        .header('x-content-sha256', release.archiveSha256)
        .header('content-length', release.archiveBytes)
        .header('cache-control', 'no-store')
        .send(createReadStream(release.archive));
    }
  );

  app.get(OUTBOX_PATH, async request => {
    const service = requireJobs(context);
    return ok(
      {
        transport: service.mailMode,
        messages: service.store.mailOf(request.clientKey).map(mail => ({
          job_id: mail.jobId,
          kind: mail.kind,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.body,
          created_at: mail.createdAt,
          sent_at: mail.sentAt,
          transport: mail.transport,
          file: mail.file,
          link:
            mail.kind === 'approved'
              ? linkState(
                  service.store.releaseOf(mail.jobId),
                  context.now(),
                  existsSync,
                  {
                    mailed: mailedOrigin(mail.body),
                    current: new URL(service.publicUrl(app)).origin
                  }
                )
              : null
        }))
      },
      request.id
    );
  });

  app.get(JWKS_PATH, { config: { public: true } }, async () => {
    const key = requireJobs(context).key;
    if (!key) {
      throw new ApiError(
        503,
        'jobs_unavailable',
        'The attestation key is not loaded yet: try again in a moment.'
      );
    }
    return { keys: [key.publicJwk] };
  });
}
