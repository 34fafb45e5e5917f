import type { PublicData } from '../../data/schema';
import { derivedOf } from './derived';
import { SALT, hash32 } from './hashing';
import { type VideoKey } from './videos';
/** Playlists (../user-graph.ts). */
// Playlists: the data's videos carry playlist_id (src/data/generate.ts: up to
// three per creator); a playlist's videos are those with its id, oldest first.

/** Playlist info as the real API names it (docs/research/research-api.md §5b). */
export interface PlaylistInfo {
  playlist_id: number;
  playlist_name: string;
  /** The newest create_time of its videos (a video added then). */
  playlist_last_updated: number;
  playlist_item_total: number;
  /** Every video id of the playlist, oldest first. */
  playlist_video_ids: number[];
}

const PLAYLIST_TOPICS = [
  'Favourites',
  'Highlights',
  'Daily vlog',
  'Recipes',
  'Tutorials',
  'Travel diary',
  'Behind the scenes',
  'Q&A',
  'Challenges',
  'Storytime',
  'Workouts',
  'Music covers'
];

/** The playlist of an id, or undefined when no video has it. */
export function playlistInfo(
  data: PublicData,
  playlistId: number
): PlaylistInfo | undefined {
  const videos = derivedOf(data).statements.playlistVideos.all(
    playlistId
  ) as VideoKey[];
  if (videos.length === 0) {
    return undefined;
  }
  const topic =
    PLAYLIST_TOPICS[
      hash32(data.seed, SALT.playlistName, playlistId) % PLAYLIST_TOPICS.length
    ];
  return {
    playlist_id: playlistId,
    playlist_name: `${topic} ${1 + (hash32(data.seed, SALT.playlistName, playlistId, 1) % 9)}`,
    playlist_last_updated: Math.max(...videos.map(video => video.create_time)),
    playlist_item_total: videos.length,
    playlist_video_ids: videos.map(video => video.id)
  };
}
