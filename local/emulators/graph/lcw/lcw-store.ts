import type Database from 'better-sqlite3';

/**
 * The Lifecycle Workflows objects of the emulator's tenant, kept as JSON documents in the Graph emulator's SQLite file
 * (table lcw_objects, store.ts) so they survive a restart like the users they run for.
 */

export interface CustomTaskExtensionDoc {
  id: string;
  displayName: string;
  description?: string;
  endpointConfiguration: Record<string, unknown>;
  authenticationConfiguration: { '@odata.type': string; resourceId?: string };
  clientConfiguration: { '@odata.type': string; maximumRetries: number; timeoutInMilliseconds: number };
  callbackConfiguration?: { '@odata.type': string; timeoutDuration: string; authorizedApps?: unknown[] };
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface TaskDoc {
  id: string;
  category: string;
  continueOnError: boolean;
  description?: string;
  displayName: string;
  executionSequence: number;
  isEnabled: boolean;
  taskDefinitionId: string;
  arguments: { name: string; value: string }[];
}

export interface WorkflowDoc {
  id: string;
  category: 'joiner' | 'leaver' | 'mover';
  displayName: string;
  description?: string;
  isEnabled: boolean;
  isSchedulingEnabled: boolean;
  executionConditions: Record<string, unknown>;
  tasks: TaskDoc[];
  version: number;
  createdDateTime: string;
  lastModifiedDateTime: string;
  nextScheduleRunDateTime: string | null;
  deletedDateTime: null;
}

type ProcessingStatus = 'queued' | 'inProgress' | 'completed' | 'completedWithErrors' | 'canceled' | 'failed';

export interface RunDoc {
  id: string;
  workflowId: string;
  workflowVersion: number;
  workflowExecutionType: 'scheduled' | 'onDemand';
  scheduledDateTime: string;
  startedDateTime: string;
  completedDateTime: string | null;
}

export interface SubjectDoc {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
}

export interface UserProcessingResultDoc {
  id: string;
  runId: string;
  workflowId: string;
  workflowVersion: number;
  workflowExecutionType: 'scheduled' | 'onDemand';
  subject: SubjectDoc;
  processingStatus: ProcessingStatus;
  scheduledDateTime: string;
  startedDateTime: string;
  completedDateTime: string | null;
}

export interface TaskProcessingResultDoc {
  id: string;
  runId: string;
  userProcessingResultId: string;
  workflowId: string;
  taskId: string;
  subject: SubjectDoc;
  processingStatus: ProcessingStatus;
  createdDateTime: string;
  startedDateTime: string;
  completedDateTime: string | null;
  failureReason: string | null;
  /** The custom task extension called, for a "Run a custom task extension" task. */
  customTaskExtensionId?: string;
  /** Launch and wait: the local-clock instant after which the task fails (callbackConfiguration.timeoutDuration). */
  callbackDeadline?: string;
  /** Why the emulator finished a task it does not run (built-in tasks). */
  emulatorNote?: string;
}

/** One POST of the Logic App stand-in to the app. */
interface CalloutDoc {
  id: string;
  taskProcessingResultId: string;
  attempt: number;
  url: string;
  sentDateTime: string;
  /** HTTP status of the answer, or null when none came (refused connection, timeout). */
  status: number | null;
  error: string | null;
  /** Claims of the bearer token sent (never the token itself). */
  tokenClaims: Record<string, unknown>;
  body: unknown;
}

/** One resume call received, refused ones included. */
interface ResumeDoc {
  id: string;
  path: string;
  taskProcessingResultId: string | null;
  callerAppId: string | null;
  receivedDateTime: string;
  status: number;
  body: unknown;
}

interface Kinds {
  customTaskExtension: CustomTaskExtensionDoc;
  workflow: WorkflowDoc;
  run: RunDoc;
  userProcessingResult: UserProcessingResultDoc;
  taskProcessingResult: TaskProcessingResultDoc;
  callout: CalloutDoc;
  resume: ResumeDoc;
}

export class LcwStore {
  constructor(private readonly db: Database.Database) {}

  get<K extends keyof Kinds>(kind: K, id: string): Kinds[K] | null {
    const row = this.db.prepare(`SELECT doc FROM lcw_objects WHERE kind = ? AND id = ?`).get(kind, id) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Kinds[K]) : null;
  }

  /** Every object of a kind, oldest first. */
  list<K extends keyof Kinds>(kind: K): Kinds[K][] {
    return (
      this.db.prepare(`SELECT doc FROM lcw_objects WHERE kind = ? ORDER BY seq`).all(kind) as { doc: string }[]
    ).map((row) => JSON.parse(row.doc) as Kinds[K]);
  }

  put<K extends keyof Kinds>(kind: K, doc: Kinds[K]): void {
    this.db
      .prepare(
        `INSERT INTO lcw_objects (kind, id, doc) VALUES (?, ?, ?)` +
          ` ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc`,
      )
      .run(kind, doc.id, JSON.stringify(doc));
  }

  /**
   * Records that a workflow version fired for a user; false when it already had. The unique (kind, id) key makes
   * this the one place that decides "never twice", even across restarts.
   */
  claimTrigger(workflowId: string, version: number, userId: string): boolean {
    const id = `${workflowId}:${version}:${userId}`;
    return (
      this.db
        .prepare(`INSERT OR IGNORE INTO lcw_objects (kind, id, doc) VALUES ('trigger', ?, ?)`)
        .run(id, JSON.stringify({ id })).changes > 0
    );
  }
}
