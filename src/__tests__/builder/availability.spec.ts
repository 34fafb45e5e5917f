/**
 * The Query Builder is not offered to a reviewer (the platform refuses their
 * queries): no launcher item, its commands disabled; back for a researcher.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ILauncher } from '@jupyterlab/launcher';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import { Signal } from '@lumino/signaling';
import type { IVCEStatus } from '../../api/types';
import { addBuilderCommands } from '../../builder/add-commands';
import { BuilderAvailability } from '../../builder/availability';
import type { QueryCellFlows } from '../../builder/cell-flows';
import { QueryBuilderModel } from '../../builder/model';
import type { BuilderSession } from '../../builder/session';
import { loadOnce } from '../../common/lazy';
import { BuilderCommandIDs, CommandIDs } from '../../commands';
import { makeStatus, unreachable } from '../helpers/status-fixtures';

const trans = nullTranslator.load('jupyterlab_vce');

/** The connection's status model, driven by the test. */
class FakeStatus {
  readonly changed = new Signal<this, void>(this);
  constructor(public status: IVCEStatus | null) {}
  set(status: IVCEStatus | null): void {
    this.status = status;
    this.changed.emit();
  }
}

/** A launcher that keeps the items it shows. */
class FakeLauncher {
  items: ILauncher.IItemOptions[] = [];
  add(item: ILauncher.IItemOptions) {
    this.items.push(item);
    return {
      isDisposed: false,
      dispose: () => (this.items = this.items.filter(i => i !== item))
    };
  }
}

const researcher = () => makeStatus();
const reviewer = () => {
  const status = makeStatus();
  return makeStatus({ identity: { ...status.identity!, role: 'reviewer' } });
};
const ITEM = {
  command: CommandIDs.openQueryBuilder,
  category: 'Virtual Compute Environment',
  rank: 1
};

function setup(initial: IVCEStatus | null) {
  const status = new FakeStatus(initial);
  const launcher = new FakeLauncher();
  const availability = new BuilderAvailability({
    status,
    launcher: launcher as unknown as ILauncher,
    launcherItem: ITEM
  });
  const commands = new CommandRegistry();
  const app = {
    commands,
    contextMenu: { addItem: jest.fn() }
  } as unknown as JupyterFrontEnd;
  const model = new QueryBuilderModel({}, trans);
  const flows = {
    canEdit: () => true,
    insert: jest.fn(),
    update: jest.fn(),
    edit: jest.fn()
  } as unknown as QueryCellFlows;
  const session = loadOnce(async () => {
    return { model, flows, preview: jest.fn() } as unknown as BuilderSession;
  });
  addBuilderCommands(app, {
    session,
    availability,
    cells: {
      app: { contextMenuHitTest: () => undefined },
      tracker: { currentWidget: null }
    } as any,
    trans,
    palette: null,
    openPanel: jest.fn(),
    openMainArea: jest.fn()
  });
  return { status, launcher, availability, commands, session, flows };
}

describe('the Query Builder for a reviewer', () => {
  it('a researcher gets the launcher item and the commands', () => {
    const { launcher, availability, commands } = setup(researcher());
    expect(availability.available).toBe(true);
    expect(launcher.items).toEqual([ITEM]);
    expect(commands.isEnabled(CommandIDs.openQueryBuilder)).toBe(true);
    expect(commands.isVisible(CommandIDs.openQueryBuilder)).toBe(true);
    expect(commands.isEnabled(CommandIDs.openQueryBuilderMain)).toBe(true);
    expect(commands.isEnabled(BuilderCommandIDs.newQuery)).toBe(true);
    expect(commands.isEnabled(BuilderCommandIDs.copy)).toBe(true);
  });

  it('a reviewer gets no launcher item and every builder command is off', () => {
    const { launcher, availability, commands } = setup(reviewer());
    expect(availability.available).toBe(false);
    expect(launcher.items).toEqual([]);
    expect(commands.isVisible(CommandIDs.openQueryBuilder)).toBe(false);
    expect(commands.isVisible(CommandIDs.openQueryBuilderMain)).toBe(false);
    for (const id of [
      CommandIDs.openQueryBuilder,
      CommandIDs.openQueryBuilderMain,
      BuilderCommandIDs.insert,
      BuilderCommandIDs.insertAndRun,
      BuilderCommandIDs.copy,
      BuilderCommandIDs.updateCell,
      BuilderCommandIDs.preview,
      BuilderCommandIDs.newQuery
    ]) {
      expect([id, commands.isEnabled(id)]).toEqual([id, false]);
    }
    expect(
      commands.isVisible(BuilderCommandIDs.editCell, { fromContextMenu: true })
    ).toBe(false);
  });

  it('follows the sign-in: the item goes for a reviewer, stays through an outage, and comes back for a researcher', () => {
    const { status, launcher, availability, commands } = setup(researcher());
    const changed = jest.fn();
    const commandsChanged = jest.fn();
    availability.changed.connect(changed);
    commands.commandChanged.connect(commandsChanged);
    status.set(reviewer());
    expect(launcher.items).toEqual([]);
    expect(commands.isEnabled(CommandIDs.openQueryBuilder)).toBe(false);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(commandsChanged).toHaveBeenCalled();
    status.set(unreachable()); // no identity: the last answer holds
    expect(availability.available).toBe(false);
    expect(changed).toHaveBeenCalledTimes(1);
    status.set(researcher());
    expect(launcher.items).toEqual([ITEM]);
    expect(commands.isEnabled(CommandIDs.openQueryBuilder)).toBe(true);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('without the connection plugin the builder stays as it was', () => {
    const launcher = new FakeLauncher();
    const availability = new BuilderAvailability({
      status: null,
      launcher: launcher as unknown as ILauncher,
      launcherItem: ITEM
    });
    expect(availability.available).toBe(true);
    expect(launcher.items).toEqual([ITEM]);
    availability.dispose();
    expect(launcher.items).toEqual([]);
  });
});

describe("the builder's commands before its code is loaded", () => {
  it('read the default query (insertable, from no cell) and load the builder when run', async () => {
    const { commands, session, flows } = setup(researcher());
    // What the commands assume of a builder not loaded yet: its default query.
    const fresh = new QueryBuilderModel({}, trans);
    expect([fresh.canInsert, fresh.canRun, fresh.target]).toEqual([
      true,
      true,
      null
    ]);
    expect(session.current).toBeNull();
    expect(commands.isEnabled(BuilderCommandIDs.insert)).toBe(true);
    expect(commands.isEnabled(BuilderCommandIDs.insertAndRun)).toBe(true);
    expect(commands.isEnabled(BuilderCommandIDs.preview)).toBe(true);
    expect(commands.isEnabled(BuilderCommandIDs.updateCell)).toBe(false);
    // No notebook open: no cell to edit, and nothing loaded to know it.
    expect(
      commands.isVisible(BuilderCommandIDs.editCell, { fromContextMenu: true })
    ).toBe(false);
    expect(session.current).toBeNull();

    await commands.execute(BuilderCommandIDs.insert);
    expect(session.current).not.toBeNull();
    expect(flows.insert).toHaveBeenCalledWith(false);
  });
});
