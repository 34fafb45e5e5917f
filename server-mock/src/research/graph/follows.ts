import { FIRST_CREATE_TIME, LAST_CREATE_TIME } from '../../data/generate';
import type { PublicData } from '../../data/schema';
import { rankOf, remembered, userTable } from './derived';
import { SALT, unit } from './hashing';
import { FOLLOW_LIST_CAP } from './limits';
/** The follow graph (../user-graph.ts). */
// Follow graph: one graph for both directions (b in a's following ⇔ a in b's
// followers), a Chung–Lu random graph over the data's users: a follows b with
// probability min(1, out[a]·in[b] / Σout), out from a's following_count and
// in from b's follower_count (each at most the number of other users), so a
// followers list has about as many users as follower_count says, up to the
// other users and FOLLOW_LIST_CAP. The price of one closed graph: the data's
// follower counts sum to far more than its following counts, so following
// lists are longer than following_count (docs/research/research-api.md §5b). Each edge has
// a follow time in the data's span.

/** A follow: the other user and when the follow happened (UTC epoch seconds). */
export interface Follow {
  userId: number;
  time: number;
}

type FollowDirection = 'followers' | 'following';

function followTime(seed: number, follower: number, followed: number): number {
  const span = LAST_CREATE_TIME - FIRST_CREATE_TIME + 1;
  return (
    FIRST_CREATE_TIME +
    Math.floor(unit(seed, SALT.followTime, follower, followed) * span)
  );
}

/**
 * Distinct times in a list sorted newest first: a time equal to (or after)
 * the one before it moves to one second before that. Then no page of a time
 * cursor has to hold a run of equal times past max_count (timePage).
 */
export function spreadTies(items: { time: number }[]): void {
  for (let index = 1; index < items.length; index++) {
    if (items[index].time >= items[index - 1].time) {
      items[index].time = items[index - 1].time - 1;
    }
  }
}

/**
 * A user's followers (who follows them) or following (whom they follow),
 * newest first (ties: larger id first), at most FOLLOW_LIST_CAP (the newest).
 * One pass over the users' table in memory (50,000 users at 1,000,000 videos).
 */
export function followList(
  data: PublicData,
  userId: number,
  direction: FollowDirection
): readonly Follow[] {
  return remembered(data, `${direction}:${userId}`, () =>
    computeFollowList(data, userId, direction)
  );
}

function computeFollowList(
  data: PublicData,
  userId: number,
  direction: FollowDirection
): Follow[] {
  const table = userTable(data);
  const self = rankOf(table, userId);
  if (self < 0) {
    return [];
  }
  const follows: Follow[] = [];
  const { ids, inWeight, outWeight, scale } = table;
  for (let other = 0; other < ids.length; other++) {
    if (other === self) {
      continue;
    }
    const [follower, followed] =
      direction === 'followers' ? [other, self] : [self, other];
    const p = (outWeight[follower] * inWeight[followed]) / scale;
    if (
      p > 0 &&
      (p >= 1 ||
        unit(data.seed, SALT.followEdge, ids[follower], ids[followed]) < p)
    ) {
      follows.push({
        userId: ids[other],
        time: followTime(data.seed, ids[follower], ids[followed])
      });
    }
  }
  follows.sort((a, b) => b.time - a.time || b.userId - a.userId);
  spreadTies(follows);
  return follows.length > FOLLOW_LIST_CAP
    ? follows.slice(0, FOLLOW_LIST_CAP)
    : follows;
}
