import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context';
import { ApiError } from '../http/errors';
import { ok } from '../http/reply';
import { FaultPlanError, parseFaultPlan } from '../research/fault-plan';

export const FAULTS_PATH = '/v2/mock/faults/';

/**
 * The stand-in's own switch of the Research API's faults, per client (not a
 * route of the real platform): `GET` the plan in force for the caller, `PUT` the
 * caller's own plan (it overrides `--faults FILE` for this client only: a
 * researcher rehearsing switches faults for themselves without touching
 * others), `DELETE` it (back to the file's plan, or none). The research
 * routes ask `context.researchFaults` themselves.
 */
export function registerResearchFaultRoutes(
  app: FastifyInstance,
  context: PlatformContext
): void {
  const faults = context.researchFaults;
  const inForce = (request: FastifyRequest) =>
    ok(faults.planFor(request.clientKey), request.id);

  app.get(FAULTS_PATH, async request => inForce(request));

  app.put(FAULTS_PATH, async request => {
    let plan;
    try {
      plan = parseFaultPlan(request.body);
    } catch (error) {
      if (error instanceof FaultPlanError) {
        throw new ApiError(400, 'invalid_params', error.message);
      }
      throw error;
    }
    faults.setClientPlan(request.clientKey, plan);
    return inForce(request);
  });

  app.delete(FAULTS_PATH, async request => {
    faults.clearClientPlan(request.clientKey);
    return inForce(request);
  });
}
