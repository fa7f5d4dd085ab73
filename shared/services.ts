import { createPersonInbox } from './adapters/inbox/create-person-inbox';
import { createManagerWaitlist } from './adapters/waitlist/create-manager-waitlist';
import type { ManagerWaitlist } from './ports/manager-waitlist';
import type { PersonInboxPort } from './ports/person-inbox';
import { createDirectory } from './adapters/graph/graph-directory';
import { createAuditLog } from './adapters/audit';
import { createDeadLetters, createEventQueue } from './adapters/queue';
import type { DeadLetters } from './ports/dead-letters';
import { loadPolicy, type Policy } from './domain/policy';
import { createDeletionGuard } from './governance/create-deletion-guard';
import type { DeletionGuardPort } from './ports/deletion-guard';
import type { AuditLog } from './ports/audit-log';
import { getConfig, type Config } from './config/config';
import type { EventQueue } from './ports/event-queue';
import type { Directory } from './ports/directory';
import { createLicenceReportService } from './licences/create-licence-report-service';
import type { LicenceReportService } from './licences/licence-report-service';
import type { ScimSync } from './ports/scim-sync';
import { createAppScimSync } from './scim/create-scim-sync';
import { createScimTargetHealth } from './adapters/table-storage/scim-create-target-health';
import type { ScimTargetHealth } from './ports/scim-target-health';

/**
 * Composition root: the app's adapters, built once per process from the validated config and
 * shared by every function. Each getter is lazy so a function only builds what it uses, and a
 * missing setting fails at the first use with the setting's name (config is validated up front).
 *
 * Add one getter per port: `get directory() { return (this._directory ??= createDirectory(this.config)); }`
 */
class Services {
  private _directory: Directory | undefined;
  private _eventQueue: EventQueue | undefined;
  private _auditLog: AuditLog | undefined;
  private _deadLetters: DeadLetters | undefined;
  private _policy: Policy | undefined;
  private _deletionGuard: DeletionGuardPort | undefined;
  private _personInbox: PersonInboxPort | undefined;
  private _managerWaitlist: ManagerWaitlist | undefined;
  private _licenceReports: LicenceReportService | undefined;
  private _scimSync: ScimSync | undefined;
  private _scimTargetHealth: ScimTargetHealth | undefined;

  get config(): Config {
    return getConfig();
  }

  get directory(): Directory {
    return (this._directory ??= createDirectory(this.config));
  }

  get eventQueue(): EventQueue {
    return (this._eventQueue ??= createEventQueue(this.config));
  }

  get deadLetters(): DeadLetters {
    return (this._deadLetters ??= createDeadLetters(this.config, this.eventQueue));
  }

  get auditLog(): AuditLog {
    return (this._auditLog ??= createAuditLog(this.config));
  }

  /** Accidental-deletion holds: Azure Table Storage in Azure, SQLite in the data folder locally. */
  get deletionGuard(): DeletionGuardPort {
    return (this._deletionGuard ??= createDeletionGuard(this.config));
  }

  /** Each person's ordered inbox (HR events, re-evaluations) read by their orchestration. */
  get personInbox(): PersonInboxPort {
    return (this._personInbox ??= createPersonInbox(this.config));
  }

  /** Reports waiting for their manager's account (told as soon as it exists). */
  get managerWaitlist(): ManagerWaitlist {
    return (this._managerWaitlist ??= createManagerWaitlist(this.config));
  }

  /** The licence compliance report (shared/licences): history in Table Storage / SQLite, files locally. */
  get licenceReports(): LicenceReportService {
    return (this._licenceReports ??= createLicenceReportService(this.config, this.directory, () => this.policy));
  }

  /** Pushes a person to one SCIM target (the scimSync activity); tokens and discovery cached per target. */
  get scimSync(): ScimSync {
    return (this._scimSync ??= createAppScimSync(this.directory, () => this.policy));
  }

  /** SCIM targets' quarantine circuits and parked syncs. */
  get scimTargetHealth(): ScimTargetHealth {
    return (this._scimTargetHealth ??= createScimTargetHealth(this.config));
  }

  /** The JML policy file, validated once (a bad file names the path and reason). */
  get policy(): Policy {
    return (this._policy ??= loadPolicy(this.config.ENTRA_JML_POLICY_FILE));
  }
}

let instance: Services | undefined;

export function services(): Services {
  instance ??= new Services();
  return instance;
}
