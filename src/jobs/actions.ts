import { Dialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IJobsApi } from '../api/client';
import { downloadedOutputs, verifyAttestation } from './attestation';
import { confirmBody } from './confirm';
import { bytes, readableSubmission } from './format';
import { savedNotice } from './saved-notice';
import type { JobsModel } from './model';
import type { PanelState } from './state';
import {
  IContentsReader,
  IPreparedSubmission,
  isScriptPath,
  prepareSubmission,
  SubmissionError,
  submissionBody
} from './submission';
import type { Job } from '../api/types';
import { CANCELLABLE_STATUSES } from './statuses';
import { refusalDetail } from './refusal';
import { chunkLoadMessage, isChunkLoadError } from '../common/chunk-error';

/** An open document's state, as far as submitting needs it. */
export interface IOpenDocument {
  dirty: boolean;
  save(): Promise<void>;
}

export interface IJobActionsOptions {
  api: IJobsApi;
  model: JobsModel;
  state: PanelState;
  contents: IContentsReader;
  trans: TranslationBundle;
  /** The primary researcher's email, from the platform's identity (null if unknown). */
  email: () => string | null;
  /** The open document of a path, if any (to offer saving unsaved changes). */
  openDocument?: (path: string) => IOpenDocument | null;
  /** Open a workspace folder or file in JupyterLab. */
  openPath?: (path: string) => void;
  /** Show a submitted script, read-only. */
  showScript?: (title: string, content: string, path: string) => void;
  /** Open the Inbox at a job's mail. */
  openMail?: (jobId: string) => void;
  /** Settings. */
  resultsFolder?: () => string;
  /** Dialogs (replaced in tests). */
  showDialog?: typeof showDialog;
}

/** The panel's actions: submit, cancel, resubmit, download, verify. Every failure ends in the panel's banner. */
export class JobActions {
  constructor(private readonly _options: IJobActionsOptions) {
    _options.model.finished.connect((_, job) =>
      _options.state.jobEnded(job.job_id)
    );
  }

  get model(): JobsModel {
    return this._options.model;
  }

  get state(): PanelState {
    return this._options.state;
  }

  get api(): IJobsApi {
    return this._options.api;
  }

  /**
   * Submit a script from the workspace (or rehearse it on the sample with
   * `testRun`): offer to save unsaved changes, check and hash the files, ask
   * for confirmation, send once. Returns the job, or null when nothing was sent.
   */
  async submit(
    path: string,
    options: { testRun?: boolean; withCompanions?: boolean } = {}
  ): Promise<Job | null> {
    const { trans, state } = this._options;
    if (state.busy) {
      state.banner = {
        kind: 'info',
        text: trans.__('Wait for "%1" to finish first.', state.busy)
      };
      return null;
    }
    const testRun = options.testRun ?? false;
    const withCompanions = options.withCompanions ?? state.withCompanions;
    state.banner = null;
    try {
      if (!isScriptPath(path)) {
        throw new SubmissionError(
          trans.__(
            '"%1" is not a script: the Data Clean Room runs Python scripts (.py) and notebooks (.ipynb).',
            PathExt.basename(path)
          )
        );
      }
      if (!(await this._savedOrSaving(path))) {
        return null;
      }
      state.busy = trans.__('Reading %1…', PathExt.basename(path));
      let prepared: IPreparedSubmission;
      try {
        prepared = await prepareSubmission(this._options.contents, path, {
          withCompanions,
          skipFolders: [this._resultsFolder()]
        });
      } finally {
        state.busy = null;
      }
      if (!(await this._confirm(prepared, testRun))) {
        return null;
      }
      state.busy = testRun
        ? trans.__('Starting a test run of %1…', prepared.entry)
        : trans.__('Submitting %1…', prepared.entry);
      const body = submissionBody(prepared);
      let job: Job;
      try {
        job = testRun
          ? await this.api.testRun(body)
          : await this.api.submit(body);
      } finally {
        state.busy = null;
      }
      this.model.upsert(job);
      state.selected = job.job_id;
      state.banner = {
        kind: 'success',
        text: testRun
          ? trans.__(
              'Test run %1 started: it runs on the test-stage sample and shows what the review would say. Nothing will be released.',
              job.job_id
            )
          : trans.__(
              'Submitted %1 as job %2. This panel follows it live: you will be notified when it finishes.',
              prepared.entry,
              job.job_id
            ),
        jobId: job.job_id
      };
      return job;
    } catch (error) {
      state.banner = {
        kind: 'error',
        text: this._submitError(error, testRun),
        path
      };
      if (!(error instanceof SubmissionError)) {
        // The platform may have taken it before going away: the list tells.
        void this.model.refresh();
      }
      return null;
    }
  }

  async cancel(jobId: string): Promise<void> {
    const { trans, state } = this._options;
    const job = this.model.job(jobId);
    const name = job ? job.entry : jobId;
    const answer = await this._dialog({
      title: trans.__('Cancel job %1?', jobId),
      body: trans.__(
        'The run of %1 stops now; nothing is released. You can resubmit it later.',
        name
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Keep running') }),
        Dialog.warnButton({ label: trans.__('Cancel job') })
      ]
    });
    if (!answer.button.accept) {
      return;
    }
    await this._act(trans.__('Cancelling %1…', jobId), async () => {
      const cancelled = await this.api.cancel(jobId);
      this.model.upsert(cancelled);
      state.banner = {
        kind: 'info',
        text: trans.__('Job %1 was cancelled.', jobId),
        jobId
      };
    });
  }

  async resubmit(jobId: string): Promise<void> {
    const { trans, state } = this._options;
    const job = this.model.job(jobId);
    const answer = await this._dialog({
      title: trans.__('Submit a job to Data Clean Room?'),
      body: trans.__(
        'Run %1 again, exactly as it was submitted in job %2 (the same files), against all public data. The results are reviewed before anything is released. To run a changed script, submit the file from the workspace instead.',
        job?.entry ?? jobId,
        jobId
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: trans.__('Resubmit') })
      ]
    });
    if (!answer.button.accept) {
      return;
    }
    await this._act(trans.__('Resubmitting %1…', jobId), async () => {
      const again = await this.api.resubmit(jobId);
      this.model.upsert(again);
      state.selected = again.job_id;
      state.banner = {
        kind: 'success',
        text: trans.__('Resubmitted as job %1.', again.job_id),
        jobId: again.job_id
      };
    });
  }

  /** Extract the approved results into the workspace, then check them against the attestation. */
  async saveToWorkspace(jobId: string): Promise<void> {
    const { trans, state } = this._options;
    await this._act(
      trans.__('Downloading the results of %1…', jobId),
      async () => {
        const saved = await this.api.saveResults(jobId, this._resultsFolder());
        state.setSaved(jobId, saved);
        state.banner = {
          kind: 'success',
          text: savedNotice(trans, saved),
          jobId
        };
        this._options.openPath?.(saved.folder);
      }
    );
    if (state.saved(jobId)) {
      await this.verify(jobId);
    }
  }

  /** Save the results zip to the computer (the browser's download). */
  async downloadToComputer(jobId: string): Promise<void> {
    const { trans } = this._options;
    await this._act(
      trans.__('Downloading the results of %1…', jobId),
      async () => {
        const blob = await this.api.downloadResults(jobId);
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = `${jobId}-results.zip`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
    );
  }

  /** Whether the lab can show a job's mail (the Inbox is there). */
  get canOpenMail(): boolean {
    return this._options.openMail !== undefined;
  }

  /** Show a job's mail in the Inbox, rendered as the researcher reads it. */
  openMail(jobId: string): void {
    this._options.openMail?.(jobId);
  }

  /** Show the script exactly as it was submitted, read-only. */
  async openSubmitted(jobId: string, name?: string): Promise<void> {
    const { trans } = this._options;
    await this._act(trans.__('Opening the submitted script…'), async () => {
      const file = await this.api.file(jobId, name);
      const header = trans.__(
        'Read-only: %1 exactly as submitted in job %2 (%3, SHA-256 %4).',
        file.name,
        jobId,
        bytes(file.bytes),
        file.sha256
      );
      const body =
        file.encoding === 'utf-8'
          ? readableSubmission(file.name, file.content)
          : trans.__('(a binary file)');
      const content = `${header}\n\n${body}`;
      this._options.showScript?.(
        trans.__('%1 (as submitted in %2)', file.name, jobId),
        content,
        file.name
      );
    });
  }

  /** Verify the job's signed attestation, and the downloaded files' hashes when saved. */
  async verify(jobId: string): Promise<void> {
    const { state, trans } = this._options;
    state.setAttestation(jobId, 'checking');
    try {
      const [attestation, jwks, job] = await Promise.all([
        this.api.attestation(jobId),
        this.api.jwks(),
        this.model.job(jobId)?.files.length
          ? Promise.resolve(this.model.job(jobId)!)
          : this.model.fetchJob(jobId)
      ]);
      const saved = state.saved(jobId);
      const check = await verifyAttestation(
        attestation.jws,
        jwks,
        job,
        saved ? downloadedOutputs(saved.files) : undefined
      );
      state.setAttestation(jobId, check);
    } catch (error) {
      state.setAttestation(jobId, {
        valid: false,
        reason: isChunkLoadError(error)
          ? chunkLoadMessage(trans, trans.__('the attestation verifier'))
          : trans.__(
              'The attestation could not be checked: %1',
              (error as Error).message
            )
      });
    }
  }

  /** The mail the platform sent about a job (the result link goes to the primary researcher). */
  async loadMail(jobId: string): Promise<void> {
    const { state } = this._options;
    if (state.mail(jobId) !== undefined) {
      return;
    }
    state.setMail(jobId, null);
    try {
      const outbox = await this.api.outbox();
      state.setMail(
        jobId,
        outbox.messages.find(mail => mail.job_id === jobId) ?? null
      );
    } catch {
      // No outbox (another platform): the detail says nothing about mail.
    }
  }

  /** The job's detail, fresh (when its detail opens). */
  async open(jobId: string): Promise<void> {
    this.state.selected = jobId;
    try {
      await this.model.fetchJob(jobId);
    } catch (error) {
      this.state.banner = {
        kind: 'error',
        text: (error as Error).message,
        jobId
      };
    }
  }

  canCancel(job: Job): boolean {
    return CANCELLABLE_STATUSES.includes(job.status);
  }

  /** Scripts and notebooks of the workspace, for the picker (breadth first, bounded). */
  async listScripts(limit = 500): Promise<string[]> {
    const found: string[] = [];
    const queue: { path: string; depth: number }[] = [{ path: '', depth: 0 }];
    const skip = this._resultsFolder();
    while (queue.length > 0 && found.length < limit) {
      const { path, depth } = queue.shift()!;
      let listing: Contents.IModel;
      try {
        listing = await this._options.contents.get(path, {
          type: 'directory',
          content: true
        });
      } catch {
        continue;
      }
      for (const item of (listing.content as Contents.IModel[]) ?? []) {
        if (
          item.name.startsWith('.') ||
          item.name === '__pycache__' ||
          item.name === 'node_modules'
        ) {
          continue;
        }
        if (item.type === 'directory') {
          if (depth < 5 && item.path !== skip) {
            queue.push({ path: item.path, depth: depth + 1 });
          }
        } else if (isScriptPath(item.path)) {
          found.push(item.path);
        }
      }
    }
    return found.sort((a, b) => a.localeCompare(b));
  }

  private async _savedOrSaving(path: string): Promise<boolean> {
    const { trans } = this._options;
    const open = this._options.openDocument?.(path);
    if (!open || !open.dirty) {
      return true;
    }
    const answer = await this._dialog({
      title: trans.__('Save %1 before submitting?', PathExt.basename(path)),
      body: trans.__(
        'It has unsaved changes. The Data Clean Room runs the file as saved in the workspace.'
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.createButton({
          label: trans.__('Submit saved version'),
          displayType: 'default',
          actions: ['saved']
        }),
        Dialog.okButton({ label: trans.__('Save and submit') })
      ]
    });
    if (answer.button.accept) {
      await open.save();
      return true;
    }
    return answer.button.actions.includes('saved');
  }

  private async _confirm(
    prepared: IPreparedSubmission,
    testRun: boolean
  ): Promise<boolean> {
    const { trans } = this._options;
    const answer = await this._dialog({
      title: testRun
        ? trans.__('Test run on the sample?')
        : trans.__('Submit a job to Data Clean Room?'),
      body: confirmBody(prepared, {
        testRun,
        email: this._options.email(),
        trans
      }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({
          label: testRun ? trans.__('Start test run') : trans.__('Submit job')
        })
      ],
      defaultButton: 1
    });
    return answer.button.accept;
  }

  private _submitError(error: unknown, testRun: boolean): string {
    const { trans } = this._options;
    if (error instanceof SubmissionError) {
      return error.message;
    }
    const status = (error as { status?: number }).status;
    const code = (error as { code?: string }).code;
    const message = (error as Error).message ?? String(error);
    if (testRun && status === 404 && code === 'not_found') {
      return trans.__(
        'This platform does not offer test runs yet: submit the script for real, or try it in a notebook on the test-stage sample first.'
      );
    }
    if (status === 401) {
      return trans.__(
        'Not signed in: sign in to the Virtual Compute Environment (status bar), then submit again. %1',
        message
      );
    }
    if (
      status === 503 ||
      status === undefined ||
      status === 0 ||
      status >= 500
    ) {
      return trans.__(
        'The submission did not go through: %1 Check the jobs list below before submitting again; nothing is lost in your workspace.',
        message
      );
    }
    return trans.__(
      'The platform did not accept the submission: %1',
      refusalDetail(message)
    );
  }

  private async _act(busy: string, action: () => Promise<void>): Promise<void> {
    const { state } = this._options;
    state.busy = busy;
    try {
      await action();
    } catch (error) {
      state.banner = {
        kind: 'error',
        text: (error as Error).message ?? String(error)
      };
    } finally {
      state.busy = null;
    }
  }

  private _resultsFolder(): string {
    return (this._options.resultsFolder?.() ?? 'dcr-results').replace(
      /^\/+|\/+$/g,
      ''
    );
  }

  private _dialog(
    options: Partial<Dialog.IOptions<unknown>>
  ): Promise<Dialog.IResult<unknown>> {
    return (this._options.showDialog ?? showDialog)(options);
  }
}
