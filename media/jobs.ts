// The jobs list: every generation of this window, running or recently finished, with its state, the time it
// has taken and the buttons that make sense for it. The host words the states and the buttons.
import type { JobAction, JobRowView } from '../src/common/protocol';
import { h, replaceChildren } from './dom';
import { fill, words } from './strings';

const RUNNING = new Set<JobRowView['state']>(['submitting', 'queued', 'processing', 'downloading']);

export class JobsView {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  #jobs: readonly JobRowView[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;

  readonly #onAction: (action: JobAction, jobId: string) => void;
  constructor(onAction: (action: JobAction, jobId: string) => void) {
    this.#onAction = onAction;
    this.#list = h('ul', { class: 'jobs', 'aria-label': words.jobs });
    this.element = h(
      'details',
      { class: 'jobs-section', open: '' },
      h('summary', { class: 'section-heading' }, words.jobs),
      this.#list,
    );
    this.element.hidden = true;
  }

  setAll(jobs: readonly JobRowView[]): void {
    this.#jobs = jobs;
    replaceChildren(this.#list, ...jobs.map((job) => this.#row(job)));
    this.element.hidden = jobs.length === 0;
    if (IDEOGRAM_MEASURE) document.body.dataset.jobs = String(jobs.length);
    const running = jobs.some((job) => RUNNING.has(job.state));
    if (running && !this.#timer) this.#timer = setInterval(() => this.#tick(), 1000);
    if (!running && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #row(job: JobRowView): HTMLElement {
    return h(
      'li',
      { class: `job job-${job.state}`, 'data-job': job.id, 'data-state': job.state },
      h(
        'div',
        { class: 'job-text' },
        h('p', { class: 'job-prompt', title: job.prompt }, job.prompt),
        h(
          'p',
          { class: 'job-status' },
          h('span', { class: 'job-state' }, job.stateLabel),
          ' · ',
          h('span', { class: 'job-elapsed' }, duration(job)),
          job.path ? h('span', { class: 'job-path', title: job.path }, ` · ${job.path}`) : false,
        ),
        job.failure ? h('p', { class: 'job-failure' }, job.failure) : false,
      ),
      job.actions.length > 0 &&
        h(
          'div',
          { class: 'button-row' },
          ...job.actions.map((button) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary small',
                'data-job-action': button.action,
                onclick: () => this.#onAction(button.action, job.id),
              },
              button.label,
            ),
          ),
        ),
    );
  }

  #tick(): void {
    for (const job of this.#jobs) {
      if (!RUNNING.has(job.state)) continue;
      const target = this.#list.querySelector(`[data-job="${CSS.escape(job.id)}"] .job-elapsed`);
      if (target) target.textContent = duration(job);
    }
  }
}

function duration(job: JobRowView): string {
  const seconds = Math.max(0, Math.round(((job.finishedAt ?? Date.now()) - job.createdAt) / 1000));
  return seconds < 120 ? fill(words.seconds, seconds) : fill(words.minutes, Math.round(seconds / 60));
}
