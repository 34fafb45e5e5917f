const D = require('better-sqlite3');
const db = new D('/tmp/vce-bench/public-data-s1-v1000000.sqlite', { readonly: true });
console.log(db.prepare('select sqlite_version()').pluck().get());
const num = (f) => `CASE typeof(t.${f}) WHEN 'integer' THEN CASE WHEN t.${f} BETWEEN -9007199254740991 AND 9007199254740991 THEN '"${f}":' || t.${f} END WHEN 'text' THEN '"${f}":' || json_quote(t.${f}) END`;
const ok = (f) => `typeof(t.${f}) IN ('integer','text','null')`;
const fields = ['id','region_code','like_count','create_time'];
const sql = `SELECT t.id, CASE WHEN ${fields.map(ok).join(' AND ')} THEN '{' || concat_ws(',', ${fields.map(num).join(', ')}) || '}' END FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const s = db.prepare(sql).raw(true);
const base = db.prepare('SELECT t.id AS __id, t.id, t.region_code, t.like_count, t.create_time FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?');
for (let r = 0; r < 3; r++) {
let t = process.hrtime.bigint(); let n = 0; let parts = []; let bytes = 0;
for (const row of s.iterate(-1, 100001)) { parts.push(row[1]); if (parts.length === 2000) { bytes += Buffer.from(parts.join(',')).length; parts = []; } }
console.log('sql-json iterate', Number(process.hrtime.bigint() - t) / 1e6, bytes);
t = process.hrtime.bigint();
const rows2 = base.all(-1, 100001);
const recs = rows2.map(r => ({id: r.id, region_code: r.region_code, like_count: r.like_count, create_time: r.create_time}));
const t2 = process.hrtime.bigint();
const js = JSON.stringify(recs);
console.log('stringify', Number(process.hrtime.bigint() - t2) / 1e6, 'fetch', Number(t2 - t)/1e6, js.length);
}
