import express from 'express';
import type { Router } from 'express';
import { isLoopback } from '../../host/loopback';
import { FaultSettingsSchema } from './faults';
import type { ScimStore, StoredResource } from './store';
import type { ScimTargetRuntime } from './target-pipeline';
import { scimTarget, type ScimTargetId } from './targets';

/**
 * The demo targets' admin API, for tests, benches and demos, on this machine only (like the Graph emulator's):
 *   POST /_local/scim/_admin/{targetId}/faults  {"mode": "none"|"throttle"|"error500"|"slow"|"down", ...}
 *   GET  /_local/scim/_admin/{targetId}/state   users, groups with members, request log, counts, faults
 *   GET  /_local/scim/_admin/{targetId}/counts  users and groups held, distinct user externalIds (cheap to poll)
 *   POST /_local/scim/_admin/{targetId}/reset   no users, no groups, no log, no faults
 */
export function adminApi(runtimes: ReadonlyMap<ScimTargetId, ScimTargetRuntime>, store: ScimStore): Router {
  const router = express.Router({ mergeParams: true });
  router.use((req, res, next) => {
    if (!isLoopback(req)) return void res.status(403).json({ error: 'the SCIM demo admin API answers loopback only' });
    next();
  });
  router.use(express.json({ type: () => true, limit: '64kb' }));
  const runtimeOf = (id: string | undefined) => (id && scimTarget(id) ? runtimes.get(id as ScimTargetId) : undefined);

  router.post('/:targetId/faults', (req, res) => {
    const runtime = runtimeOf(req.params.targetId);
    if (!runtime) return void res.status(404).json({ error: `unknown SCIM demo target ${req.params.targetId}` });
    const parsed = FaultSettingsSchema.safeParse(req.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => ({ path: i.path.join('.'), reason: i.message }));
      return void res.status(400).json({ problems });
    }
    runtime.faults.configure(parsed.data);
    res.status(200).json(runtime.faults.current());
  });

  router.get('/:targetId/state', (req, res) => {
    const runtime = runtimeOf(req.params.targetId);
    if (!runtime) return void res.status(404).json({ error: `unknown SCIM demo target ${req.params.targetId}` });
    res.status(200).json(targetState(runtime, store));
  });

  router.get('/:targetId/counts', (req, res) => {
    const runtime = runtimeOf(req.params.targetId);
    if (!runtime) return void res.status(404).json({ error: `unknown SCIM demo target ${req.params.targetId}` });
    const target = runtime.definition.id;
    const users = store.countWithExternalIds(target, 'User');
    res.status(200).json({
      users: users.resources,
      userExternalIds: users.externalIds,
      groups: store.count(target, 'Group'),
    });
  });

  router.post('/:targetId/reset', (req, res) => {
    const runtime = runtimeOf(req.params.targetId);
    if (!runtime) return void res.status(404).json({ error: `unknown SCIM demo target ${req.params.targetId}` });
    store.reset(runtime.definition.id);
    runtime.log.reset();
    runtime.faults.reset();
    res.status(200).json({ reset: true });
  });

  router.use((_req, res) => void res.status(404).json({ error: 'unknown SCIM demo admin action' }));
  router.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    // A body that is not JSON is the caller's mistake (RFC 9110 §15.5.1).
    res.status(400).json({ error: error instanceof Error ? error.message : 'malformed request' });
  });
  return router;
}

/** The whole target in one JSON document. */
function targetState(runtime: ScimTargetRuntime, store: ScimStore): unknown {
  const target = runtime.definition.id;
  const users = store.list(target, 'User');
  const userNames = new Map(users.map((u) => [u.id, u.attributes.userName]));
  const groups = store.list(target, 'Group').map((g) => ({
    id: g.id,
    displayName: g.attributes.displayName,
    externalId: g.attributes.externalId ?? null,
    members: membersOf(g).map((id) => ({ value: id, userName: userNames.get(id) ?? null })),
  }));
  const { requests, counts } = runtime.log.snapshot();
  return {
    target,
    users: users.map((u) => ({ id: u.id, ...u.attributes, version: u.version })),
    groups,
    requests,
    counts: { users: users.length, groups: groups.length, ...counts },
    faults: runtime.faults.current(),
  };
}

function membersOf(group: StoredResource): string[] {
  const members = group.attributes.members;
  if (!Array.isArray(members)) return [];
  return members.map((m) => (m as { value?: unknown }).value).filter((v): v is string => typeof v === 'string');
}
