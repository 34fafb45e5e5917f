/**
 * The Query Builder panel's state: the actions the panel offers, what they
 * keep and drop, validation with the quota, loading a cell back.
 */
import { QueryBuilderModel } from '../../builder/model';
import { SEED_CELL } from '../helpers/query-seed';

const quota = (used: number) => ({
  day: '2026-11-25',
  daily_limit: 5000,
  used,
  remaining: 5000 - used,
  resets_at: '2026-11-26T00:00:00Z'
});

function seedModel(): QueryBuilderModel {
  const model = new QueryBuilderModel({ output: 'print' });
  model.addGroup();
  model.setField(0, 0, 'like_count');
  model.setOperation(0, 0, 'GTE');
  model.setValues(0, 0, ['10']);
  return model;
}

describe('QueryBuilderModel', () => {
  it("starts from the guide's fields and limit, without conditions", () => {
    const model = new QueryBuilderModel();
    expect(model.query).toEqual({
      category: 'video',
      groups: [],
      fields: ['display_name', 'video_description', 'create_time', 'id'],
      limit: 10
    });
    expect(model.output).toBe('display');
    expect(model.problems.map(problem => problem.rule)).toEqual([
      'no-conditions'
    ]);
    expect(model.canInsert && model.canRun).toBe(true);
  });

  it("builds the guide's example with a few actions, character for character", () => {
    const model = seedModel();
    expect(model.code).toBe(SEED_CELL);
    model.setOutput('display');
    expect(model.code).toBe(SEED_CELL.replace(/print\(data\)$/, 'data'));
  });

  it('offers only the operations a field allows: others are ignored', () => {
    const model = seedModel();
    model.setOperation(0, 0, 'LIKE');
    expect(model.groups[0].conditions[0].operation).toBe('GTE');
    model.setField(0, 0, 'video_description');
    // GTE is not allowed on video_description: the first allowed operation, and no values of another type.
    expect(model.groups[0].conditions[0]).toMatchObject({
      operation: 'EQ',
      values: []
    });
    model.setOperation(0, 0, 'LIKE');
    expect(model.groups[0].conditions[0].operation).toBe('LIKE');
  });

  it('keeps values across fields of one type, one value for single-valued operations', () => {
    const model = seedModel();
    model.setOperation(0, 0, 'IN');
    model.setValues(0, 0, ['1', '2']);
    model.setField(0, 0, 'view_count');
    expect(model.groups[0].conditions[0]).toMatchObject({
      field: 'view_count',
      operation: 'IN',
      values: ['1', '2']
    });
    model.setOperation(0, 0, 'GT');
    expect(model.groups[0].conditions[0].values).toEqual(['1']);
  });

  it('reorders conditions within and across groups, and groups', () => {
    const model = seedModel();
    model.addCondition(0);
    model.setField(0, 1, 'region_code');
    model.addGroup('not');
    model.setField(1, 0, 'view_count');
    model.moveCondition(0, 0, -1); // already first of the first group: nothing
    expect(model.groups[0].conditions.map(c => c.field)).toEqual([
      'like_count',
      'region_code'
    ]);
    model.moveCondition(0, 1, 1); // past the end: into the next group, first
    expect(model.groups.map(g => g.conditions.map(c => c.field))).toEqual([
      ['like_count'],
      ['region_code', 'view_count']
    ]);
    model.moveGroup(1, -1);
    expect(model.groups.map(g => g.operator)).toEqual(['not', 'and']);
    const keys = model.groups.map(g => g.key);
    model.removeGroup(0);
    expect(model.groups.map(g => g.key)).toEqual([keys[1]]);
    model.removeCondition(0, 0);
    expect(model.problems.map(p => p.rule)).toEqual(['empty-group']);
  });

  it('switching category keeps the conditions it can, and its default fields', () => {
    const model = seedModel();
    model.addGroup();
    model.setField(1, 0, 'region_code');
    model.setValues(1, 0, ['US']);
    model.setCategory('user');
    expect(model.query.groups).toEqual([
      {
        operator: 'and',
        conditions: [{ field: 'region_code', operation: 'EQ', values: ['US'] }]
      }
    ]);
    expect(model.fields).toEqual([
      'username',
      'display_name',
      'follower_count',
      'video_count'
    ]);
  });

  it('toggles return fields in the order they are chosen', () => {
    const model = seedModel();
    model.toggleField('id', false);
    model.toggleField('like_count', true);
    model.toggleField('id', true);
    expect(model.fields).toEqual([
      'display_name',
      'video_description',
      'create_time',
      'like_count',
      'id'
    ]);
  });

  it('flags a limit that is not a number, out of range, or over the quota', () => {
    const model = seedModel();
    model.setLimitText('ten');
    expect(model.problems.map(p => p.rule)).toEqual(['limit-range']);
    expect(model.canInsert).toBe(false);
    model.setLimitText('6000');
    expect(model.problems.map(p => p.rule)).toEqual(['limit-range']);
    model.setQuota(quota(4995));
    model.setLimitText('10');
    expect(model.problems.map(p => p.rule)).toEqual(['limit-over-quota']);
    expect(model.canInsert).toBe(true);
    expect(model.canRun).toBe(false);
    model.setQuota(quota(0));
    expect(model.canRun).toBe(true);
  });

  it('loads a cell back with its target, and forgets an old preview on change', () => {
    const model = new QueryBuilderModel();
    const source = SEED_CELL;
    model.load(seedModel().query, 'print', {
      path: 'a.ipynb',
      cellId: 'c1',
      source
    });
    expect(model.code).toBe(SEED_CELL);
    expect(model.target).toEqual({ path: 'a.ipynb', cellId: 'c1', source });
    model.setPreview({
      state: 'done',
      category: 'video',
      fields: [],
      records: [],
      count: 0,
      quota: null
    });
    model.setLimitText('5');
    expect(model.preview.state).toBe('idle');
    expect(model.code).toContain('limit = 5');
    model.reset();
    expect(model.target).toBeNull();
  });

  it('takes new defaults from the settings while the limit is untouched', () => {
    const model = new QueryBuilderModel();
    model.setDefaults({ limit: 50 });
    expect(model.limit).toBe(50);
    model.setLimitText('7');
    model.setDefaults({ limit: 20 });
    expect(model.limit).toBe(7);
  });
});
