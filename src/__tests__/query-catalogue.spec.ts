/**
 * The frontend's catalogue mirrors the platform's (server-mock is the truth
 * for fields, operations and value formats): they must agree exactly.
 */
import {
  CATALOGUE,
  CATEGORIES,
  conditionField,
  DEFAULT_FIELDS,
  GROUP_OPERATORS,
  isCategory,
  OPERATIONS,
  QUERY_LIMITS,
  REGION_CODES,
  returnableFields
} from '../query/catalogue';
import { platformCatalogue } from './query-platform';

// server-mock/src/query/catalogue.ts, by relative path (see query-platform.ts).
const platform = platformCatalogue();

describe('the query catalogue', () => {
  it('has the platform categories, operations and group operators', () => {
    expect(CATEGORIES).toEqual(platform.CATEGORIES);
    expect(OPERATIONS).toEqual(platform.OPERATIONS);
    expect(GROUP_OPERATORS).toEqual(platform.GROUP_OPERATORS);
  });

  it.each(['video', 'comment', 'user'] as const)(
    'agrees with the platform on every %s condition field: type, operations, values, description',
    category => {
      const ours = CATALOGUE[category].conditions;
      const theirs = platform.CATALOGUE[category].conditions;
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      for (const [name, field] of Object.entries(theirs)) {
        expect({ name, ...ours[name] }).toEqual({
          name,
          type: field.type,
          operations: field.operations,
          ...(field.values ? { values: field.values } : {}),
          description: field.description
        });
      }
    }
  );

  it.each(['video', 'comment', 'user'] as const)(
    'agrees with the platform on the %s fields a record returns, and their kinds',
    category => {
      expect(CATALOGUE[category].returnable).toEqual(platform.CATALOGUE[category].returnable);
      expect(CATALOGUE[category].hasCreateTime).toBe(
        platform.CATALOGUE[category].timeColumn !== null
      );
    }
  );

  it('has the platform region codes, in order, and its limits', () => {
    expect(REGION_CODES).toEqual(platform.REGION_CODES);
    expect(QUERY_LIMITS.maxConditionGroups).toBe(platform.QUERY_LIMITS.maxConditionGroups);
    expect(QUERY_LIMITS.maxConditions).toBe(platform.QUERY_LIMITS.maxConditions);
    expect(QUERY_LIMITS.maxFieldValues).toBe(platform.QUERY_LIMITS.maxFieldValues);
    expect(QUERY_LIMITS.maxValueLength).toBe(platform.QUERY_LIMITS.maxValueLength);
    expect(QUERY_LIMITS.test).toEqual(platform.QUERY_LIMITS.test);
  });

  it('matches the public catalogue the platform would send to clients', () => {
    const ours = Object.fromEntries(
      CATEGORIES.map(category => [
        category,
        {
          conditions: Object.fromEntries(
            Object.entries(CATALOGUE[category].conditions).map(([name, field]) => [
              name,
              {
                type: field.type,
                operations: field.operations,
                ...(field.values ? { values: field.values } : {}),
                description: field.description
              }
            ])
          ),
          returnable: returnableFields(category)
        }
      ])
    );
    expect(ours).toEqual(platform.publicCatalogue());
  });

  it('defaults to returnable fields; the video default is the guide example', () => {
    for (const category of CATEGORIES) {
      for (const name of DEFAULT_FIELDS[category]) {
        expect(returnableFields(category)).toContain(name);
      }
    }
    expect(DEFAULT_FIELDS.video.join(',')).toBe('display_name,video_description,create_time,id');
  });

  it('looks fields up without inheriting from Object.prototype', () => {
    expect(conditionField('video', 'like_count')?.operations).toEqual([
      'EQ', 'IN', 'GT', 'GTE', 'LT', 'LTE'
    ]);
    expect(conditionField('video', 'toString')).toBeNull();
    expect(conditionField('user', 'like_count')).toBeNull();
    expect(isCategory('video')).toBe(true);
    expect(isCategory('videos')).toBe(false);
  });
});
