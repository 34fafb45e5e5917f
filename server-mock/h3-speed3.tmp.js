const D = require('better-sqlite3');
const db = new D('/tmp/vce-bench/public-data-s1-v1000000.sqlite', { readonly: true });
const num = (f) => `CASE typeof(t.${f}) WHEN 'integer' THEN CASE WHEN t.${f} BETWEEN -9007199254740991 AND 9007199254740991 THEN '"${f}":' || t.${f} END WHEN 'text' THEN '"${f}":' || json_quote(t.${f}) END`;
const ok = (f) => `typeof(t.${f}) IN ('integer','text','null')`;
const fields = ['id','region_code','like_count','create_time'];
const sql = `SELECT t.id, CASE WHEN ${fields.map(ok).join(' AND ')} THEN '{' || concat_ws(',', ${fields.map(num).join(', ')}) || '}' END FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const s = db.prepare(sql).raw(true);
const base = db.prepare('SELECT t.id AS __id, t.id, t.region_code, t.like_count, t.create_time FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?');
const rawb = db.prepare('SELECT t.id AS __id, t.id, t.region_code, t.like_count, t.create_time FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?').raw(true);
const cpu = (f) => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return ((d.user + d.system) / 1000).toFixed(0); };
const res = {a:[],b:[],c:[],d:[],e:[]};
for (let r = 0; r < 5; r++) {
res.a.push(cpu(() => { let parts = []; for (const row of s.iterate(-1, 100001)) { parts.push(row[1]); if (parts.length === 2000) { Buffer.from(parts.join(',')); parts = []; } } }));
res.e.push(cpu(() => { const rows = s.all(-1, 100001); for (let i = 0; i < rows.length; i += 2000) Buffer.from(rows.slice(i, i+2000).map(r => r[1]).join(',')); }));
let recs;
res.b.push(cpu(() => { recs = base.all(-1, 100001).map(r => ({id: r.id, region_code: r.region_code, like_count: r.like_count, create_time: r.create_time})); }));
res.c.push(cpu(() => JSON.stringify(recs)));
res.d.push(cpu(() => { let parts = []; for (const r of rawb.iterate(-1, 100001)) { parts.push('{"id":' + r[1] + ',"region_code":' + JSON.stringify(r[2]) + ',"like_count":' + r[3] + ',"create_time":' + r[4] + '}'); if (parts.length === 2000) { Buffer.from(parts.join(',')); parts = []; } } }));
}
console.log(res);
