import { describe, expect, it } from 'vitest';
import {
  RelationsBatcher,
  type BatchResults,
  type RelationsBatchItem,
} from '../../shared/adapters/graph/relations-batcher';

/**
 * What the batcher puts on the wire for each kind of relation change (json-batching items as Graph documents
 * them: user-post-manager, user-delete-manager, group-post-members, group-delete-members), and what each caller
 * is told from the per-item answers. windowMs 0: every call goes at once, no clock involved.
 * https://learn.microsoft.com/graph/json-batching, https://learn.microsoft.com/graph/api/group-post-members
 */
type Answer = { status: number; body: unknown; headers: Record<string, string> };
const noContent: Answer = { status: 204, body: null, headers: {} };
const alreadyMember: Answer = {
  status: 400,
  body: { error: { code: 'Request_BadRequest', message: 'One or more added object references already exist' } },
  headers: {},
};
const notFound: Answer = {
  status: 404,
  body: { error: { code: 'Request_ResourceNotFound', message: 'gone' } },
  headers: {},
};

/** A sender that records each $batch and answers each item with `answer(item)` (undefined: no answer). */
function recorder(answer: (item: RelationsBatchItem) => Answer | undefined = () => noContent) {
  const sent: RelationsBatchItem[][] = [];
  let round = 0;
  const send = async (items: RelationsBatchItem[]): Promise<BatchResults> => {
    sent.push(items);
    const results: BatchResults = new Map();
    for (const item of items) {
      const a = answer(item);
      if (a) results.set(item.id, a);
    }
    results.requestIds = [`req-${++round}`];
    return results;
  };
  return { sent, send };
}

describe('RelationsBatcher on the wire', () => {
  it("one user's change: manager PUT, group PATCH, member DELETE, each once, the user id escaped", async () => {
    const { sent, send } = recorder();
    const batcher = new RelationsBatcher(send, { windowMs: 0, refRoot: 'https://graph.microsoft.us/v1.0' });
    const result = await batcher.applyRelations('u 1', {
      managerId: 'm1',
      addGroupIds: ['g1', 'g1'],
      removeGroupIds: ['g2', 'g2'],
    });
    expect(result).toEqual({ failures: [], graphRequestIds: ['req-1'] });
    expect(sent).toEqual([
      [
        {
          id: '0',
          method: 'PUT',
          url: '/users/u%201/manager/$ref',
          body: { '@odata.id': 'https://graph.microsoft.us/v1.0/users/m1' },
        },
        {
          id: '1',
          method: 'PATCH',
          url: '/groups/g1',
          body: { 'members@odata.bind': ['https://graph.microsoft.us/v1.0/directoryObjects/u 1'] },
        },
        { id: '2', method: 'DELETE', url: '/groups/g2/members/u%201/$ref' },
      ],
    ]);
  });

  it('removes a manager with a DELETE, on the public cloud root by default', async () => {
    const { sent, send } = recorder();
    const batcher = new RelationsBatcher(send, { windowMs: 0 });
    await batcher.applyRelations('u1', { managerId: null });
    await batcher.applyRelations('u1', { managerId: 'm1' });
    expect(sent).toEqual([
      [{ id: '0', method: 'DELETE', url: '/users/u1/manager/$ref' }],
      [
        {
          id: '0',
          method: 'PUT',
          url: '/users/u1/manager/$ref',
          body: { '@odata.id': 'https://graph.microsoft.com/v1.0/users/m1' },
        },
      ],
    ]);
  });

  it('a change with nothing in it sends nothing', async () => {
    const { sent, send } = recorder();
    const batcher = new RelationsBatcher(send, { windowMs: 0 });
    expect(await batcher.applyRelations('u1', { managerId: undefined, addGroupIds: [] })).toEqual({
      failures: [],
      graphRequestIds: [],
    });
    expect(await batcher.addGroupMembers('g1', [])).toEqual({ failures: [], graphRequestIds: [] });
    expect(sent).toEqual([]);
  });
});

describe('RelationsBatcher answers', () => {
  it('retries a refused PATCH as one POST members/$ref per member: already a member is done', async () => {
    const { sent, send } = recorder((item) => {
      if (item.method === 'PATCH') return alreadyMember;
      if (item.url === '/groups/g1/members/$ref') {
        const ref = (item.body as { '@odata.id': string })['@odata.id'];
        if (ref.endsWith('/a')) return alreadyMember;
        if (ref.endsWith('/c')) return notFound;
      }
      return noContent;
    });
    const batcher = new RelationsBatcher(send, { windowMs: 0 });
    const result = await batcher.addGroupMembers('g1', ['a', 'b', 'c', 'a']);
    expect(sent[0]).toEqual([
      {
        id: '0',
        method: 'PATCH',
        url: '/groups/g1',
        body: {
          'members@odata.bind': ['a', 'b', 'c'].map((u) => `https://graph.microsoft.com/v1.0/directoryObjects/${u}`),
        },
      },
    ]);
    expect(sent.slice(1).flat()).toEqual(
      ['a', 'b', 'c'].map((u, i) => ({
        id: String(i),
        method: 'POST',
        url: '/groups/g1/members/$ref',
        body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u}` },
      })),
    );
    expect(result.failures).toEqual([
      { operation: 'addToGroup', target: 'g1:c', code: 'Request_ResourceNotFound', message: 'gone' },
    ]);
    expect(result.graphRequestIds).toEqual(['req-2']);
  });

  it('a refused PATCH of one member is its answer: no retry; already a member is still done', async () => {
    const { sent, send } = recorder(() => alreadyMember);
    const batcher = new RelationsBatcher(send, { windowMs: 0 });
    expect((await batcher.applyRelations('u1', { addGroupIds: ['g1'] })).failures).toEqual([]);
    expect(sent).toHaveLength(1);
    const gone = new RelationsBatcher(recorder(() => notFound).send, { windowMs: 0 });
    expect((await gone.applyRelations('u1', { addGroupIds: ['g1'] })).failures).toEqual([
      { operation: 'addToGroup', target: 'g1', code: 'Request_ResourceNotFound', message: 'gone' },
    ]);
  });

  it('a PATCH refused otherwise than 400 or 404 fails every member, without a retry', async () => {
    const denied: Answer = {
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'no' } },
      headers: {},
    };
    const { sent, send } = recorder(() => denied);
    const batcher = new RelationsBatcher(send, { windowMs: 0 });
    const result = await batcher.addGroupMembers('g1', ['a', 'b']);
    expect(sent).toHaveLength(1);
    expect(result.failures.map((f) => [f.target, f.code])).toEqual([
      ['g1:a', 'Authorization_RequestDenied'],
      ['g1:b', 'Authorization_RequestDenied'],
    ]);
  });

  it('an item $batch did not answer is a noResponse failure of each of its callers', async () => {
    const { send } = recorder((item) => (item.method === 'DELETE' ? undefined : noContent));
    const batcher = new RelationsBatcher(send, { windowMs: 0 });
    const result = await batcher.applyRelations('u1', { addGroupIds: ['g1'], removeGroupIds: ['g2'] });
    expect(result).toEqual({
      failures: [
        {
          operation: 'removeFromGroup',
          target: 'g2',
          code: 'noResponse',
          message: 'no response for this $batch item',
        },
      ],
      graphRequestIds: ['req-1'],
    });
  });

  it('a 2xx is done, a 3xx is not; a missing manager or member is done only for a removal', async () => {
    const answers: Record<string, Answer> = {
      PUT: { status: 300, body: null, headers: {} },
      DELETE: notFound,
      PATCH: { status: 299, body: null, headers: {} },
    };
    const batcher = new RelationsBatcher(recorder((item) => answers[item.method]).send, { windowMs: 0 });
    const removed = await batcher.applyRelations('u1', { managerId: null, removeGroupIds: ['g2'] });
    expect(removed.failures).toEqual([]);
    const set = await batcher.applyRelations('u1', { managerId: 'm1', addGroupIds: ['g1'] });
    expect(set.failures).toEqual([expect.objectContaining({ operation: 'setManager', target: 'm1', code: 'Http300' })]);
    answers.PUT = notFound;
    const missing = await batcher.applyRelations('u1', { managerId: 'm2' });
    expect(missing.failures).toEqual([expect.objectContaining({ operation: 'setManager', target: 'm2' })]);
  });

  it('a round trip that throws something other than an Error rejects its callers with an Error', async () => {
    const batcher = new RelationsBatcher(
      async () => {
        // A rejection with a bare string (a library that throws one): the callers still get an Error.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 'connection reset';
      },
      { windowMs: 0 },
    );
    const rejected = batcher.applyRelations('u1', { addGroupIds: ['g1'], removeGroupIds: ['g2'] });
    await expect(rejected).rejects.toThrow(new Error('connection reset'));
  });
});

describe('RelationsBatcher in flight', () => {
  it('keeps at most two $batch requests outstanding by default, and sends the rest when one comes back', async () => {
    const gates: (() => void)[] = [];
    const sent: RelationsBatchItem[][] = [];
    const batcher = new RelationsBatcher(
      async (items) => {
        sent.push(items);
        await new Promise<void>((resolve) => gates.push(resolve));
        return new Map(items.map((i) => [i.id, noContent]));
      },
      { windowMs: 0 },
    );
    const calls = ['a', 'b', 'c'].map((u) => batcher.applyRelations(u, { managerId: 'm' }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(2);
    gates.shift()!();
    await calls[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(3);
    while (gates.length) gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    while (gates.length) gates.shift()!();
    await expect(Promise.all(calls)).resolves.toHaveLength(3);
  });
});
