/**
 * *New clean-room script*: the starter script written into a folder under a
 * name not yet taken there (`clean_room_script.py`, then `clean_room_script_2.py`, ...).
 * Never over an existing file.
 */
import type { Contents } from '@jupyterlab/services';

/** The name the starter script takes, before a number is added to make it free. */
export const STARTER_BASENAME = 'clean_room_script';

/** The first free name in a folder that holds `taken`. */
export function freeStarterName(taken: Iterable<string>): string {
  const names = new Set(taken);
  for (let n = 1; ; n++) {
    const name = `${STARTER_BASENAME}${n === 1 ? '' : `_${n}`}.py`;
    if (!names.has(name)) {
      return name;
    }
  }
}

/**
 * Write `text` into `folder` ('' is the server's root) under a free name;
 * resolves to the new file's path.
 */
export async function writeStarterScript(
  contents: Pick<Contents.IManager, 'get' | 'save'>,
  folder: string,
  text: string
): Promise<string> {
  const listing = await contents.get(folder, { content: true });
  const taken = Array.isArray(listing.content)
    ? (listing.content as Contents.IModel[]).map(item => item.name)
    : [];
  const name = freeStarterName(taken);
  const path = folder ? `${folder}/${name}` : name;
  await contents.save(path, {
    type: 'file',
    format: 'text',
    content: text
  });
  return path;
}
