/** Moves the focus to the first problem the panel flags (the summary's 'Go to the first'). */

/** Scroll to the first field the builder flags and put the focus on it. */
export function goToFirstProblem(from: HTMLElement): void {
  // Each problem's message follows its controls, in its condition or section: the first message
  // leads to the control it is about (flagged, else the value, else the first); focusing scrolls.
  const message = from
    .closest('form')
    ?.querySelector(
      '.jp-vce-QB-problem.jp-mod-error, .jp-vce-QB-problem.jp-mod-prompt'
    );
  const place = message?.closest(
    '.jp-vce-QB-condition, .jp-vce-QB-group, .jp-vce-QB-section'
  );
  if (!place) {
    return;
  }
  // In this order of preference (one selector list would take the first in the document).
  const target = [
    '[aria-invalid="true"]',
    '.jp-vce-QB-valueLine input, .jp-vce-QB-valueLine select',
    'input, select'
  ]
    .map(selector => place.querySelector<HTMLElement>(selector))
    .find(element => element !== null);
  target?.focus();
}
