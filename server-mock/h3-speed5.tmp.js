const D = require('better-sqlite3');
const db = new D('/tmp/vce-bench/public-data-s1-v1000000.sqlite', { readonly: true });
const cpu = (f) => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return ((d.user + d.system) / 1000).toFixed(0); };
const inner1 = `SELECT t.id AS __id, CASE WHEN typeof(t.id)='integer' AND typeof(t.region_code)='text' AND typeof(t.like_count)='integer' AND typeof(t.create_time)='integer' THEN printf('{"id":%d,"region_code":%s,"like_count":%d,"create_time":%d}', t.id, json_quote(t.region_code), t.like_count, t.create_time) END AS j FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const inner2 = `SELECT t.id AS __id, printf('{"id":%d,"region_code":%s,"like_count":%d,"create_time":%d}', t.id, json_quote(t.region_code), t.like_count, t.create_time) AS j FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const inner3 = `SELECT t.id AS __id, json_object('id', t.id, 'region_code', t.region_code, 'like_count', t.like_count,'create_time', t.create_time) AS j FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const inner4 = `SELECT t.id AS __id, '{"id":' || t.id || ',"region_code":"' || t.region_code || '","like_count":' || t.like_count || ',"create_time":' || t.create_time || '}' AS j FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const res = {};
const raw = db.prepare('SELECT t.id AS __id, t.id, t.region_code, t.like_count, t.create_time FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?').raw(true);
const raw4 = db.prepare('SELECT t.id, t.region_code, t.like_count, t.create_time FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?').raw(true);
for (const [name, inner] of Object.entries({inner1, inner2, inner3, inner4})) {
  const agg = db.prepare(`SELECT count(*), max(__id), group_concat(j, ','), count(j) FROM (${inner})`).raw(true);
  const all = db.prepare(inner).raw(true);
  res[name] = []; res[name+'rows'] = [];
  for (let r = 0; r < 3; r++) {
    res[name].push(cpu(() => { let after = -1; let n = 0; while (n < 100000) { const [c, last, text] = agg.get(after, 2000); Buffer.from(text); n += c; after = last; } }));
    res[name+'rows'].push(cpu(() => all.all(-1, 100000)));
  }
}
res.rawall = []; res.raw4 = [];
for (let r = 0; r < 3; r++) { res.rawall.push(cpu(() => raw.all(-1, 100000))); res.raw4.push(cpu(() => raw4.all(-1, 100000))); }
console.log(res);
