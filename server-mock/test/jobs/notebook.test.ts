import { checkSubmission } from '../../src/jobs/submission';

/** A notebook that is not a valid nbformat document is refused at submit, saying what is wrong. */

const code = (source: string) => ({
  cell_type: 'code',
  metadata: {},
  execution_count: null,
  outputs: [],
  source
});
const NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'markdown', metadata: {}, source: '# Study' },
    code('print(1)\n')
  ]
};

function submit(notebook: unknown) {
  return checkSubmission({
    entry: 'study.ipynb',
    files: [
      {
        name: 'study.ipynb',
        content_base64: Buffer.from(JSON.stringify(notebook)).toString('base64')
      }
    ]
  });
}

function problem(notebook: unknown): string {
  const checked = submit(notebook);
  if (checked.ok) {
    throw new Error('accepted');
  }
  return checked.problems.map(found => found.message).join(' ');
}

describe('notebook submissions are checked against nbformat 4', () => {
  it('a null cell is refused, naming the cell (it used to fail at run time with "exited with code 1")', () => {
    expect(
      problem({ ...NOTEBOOK, cells: [NOTEBOOK.cells[0], null, code('x = 1')] })
    ).toMatch(
      /study\.ipynb is not a valid nbformat 4 notebook: cells\[1\] is null, not a cell/
    );
  });

  it.each([
    [
      'a cell of an unknown type',
      { ...NOTEBOOK, cells: [{ cell_type: 'sql', metadata: {}, source: '' }] },
      /cells\[0\]\.cell_type is "sql": it must be code, markdown or raw/
    ],
    [
      'a code cell without outputs',
      {
        ...NOTEBOOK,
        cells: [
          {
            cell_type: 'code',
            metadata: {},
            execution_count: null,
            source: 'x'
          }
        ]
      },
      /cells\[0\] has no "outputs"/
    ],
    [
      'a notebook without metadata',
      { nbformat: 4, nbformat_minor: 5, cells: [code('x')] },
      /the notebook has no "metadata"/
    ],
    [
      'a cell list that is not a list of cells',
      { ...NOTEBOOK, cells: [[code('x')]] },
      /cells\[0\] is a list, not a cell/
    ],
    [
      'an output of an unknown type',
      {
        ...NOTEBOOK,
        cells: [{ ...code('x'), outputs: [{ output_type: 'nonsense' }] }]
      },
      /cells\[0\]\.outputs\[0\]/
    ]
  ])('%s is refused', (_name, notebook, message) => {
    expect(problem(notebook)).toMatch(message);
  });

  it('names a value nested thousands deep without echoing it (echoing overflowed JSON.stringify: a 500)', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const text = (cellType: string, nbformat: string) =>
      `{"nbformat": ${nbformat}, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": ${cellType}, "metadata": {}, "source": "x"}]}`;
    const refusal = (content: string) => {
      const checked = checkSubmission({
        entry: 'study.ipynb',
        files: [
          {
            name: 'study.ipynb',
            content_base64: Buffer.from(content).toString('base64')
          }
        ]
      });
      return checked.ok ? 'accepted' : checked.problems[0].message;
    };
    expect(refusal(text(deep, '4'))).toMatch(
      /cells\[0\]\.cell_type is a list: it must be code, markdown or raw/
    );
    expect(refusal(text('"code"', deep))).toMatch(
      /is nbformat a list; only nbformat 4 notebooks run/
    );
  });

  it('accepts what JupyterLab writes: v4.5 with or without cell ids, v4.4 without', () => {
    expect(submit(NOTEBOOK).ok).toBe(true);
    expect(
      submit({
        ...NOTEBOOK,
        cells: NOTEBOOK.cells.map((cell, index) => ({
          id: `c${index}`,
          ...cell
        }))
      }).ok
    ).toBe(true);
    expect(submit({ ...NOTEBOOK, nbformat_minor: 4 }).ok).toBe(true);
  });
});
