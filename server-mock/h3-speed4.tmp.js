const D = require('better-sqlite3');
const db = new D('/tmp/vce-bench/public-data-s1-v1000000.sqlite', { readonly: true });
const num = (f) => `CASE typeof(t.${f}) WHEN 'integer' THEN CASE WHEN t.${f} BETWEEN -9007199254740991 AND 9007199254740991 THEN '"${f}":' || t.${f} END WHEN 'text' THEN '"${f}":' || json_quote(t.${f}) END`;
const ok = (f) => `typeof(t.${f}) IN ('integer','text','null')`;
const fields = ['id','region_code','like_count','create_time'];
const inner = `SELECT t.id AS __id, CASE WHEN ${fields.map(ok).join(' AND ')} THEN '{' || concat_ws(',', ${fields.map(num).join(', ')}) || '}' END AS j FROM videos t WHERE (1) AND t.id > ? ORDER BY t.id LIMIT ?`;
const agg = db.prepare(`SELECT count(*), max(__id), group_concat(j, ','), count(j) FROM (${inner})`).raw(true);
const cpu = (f) => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return ((d.user + d.system) / 1000).toFixed(0); };
const res = {agg:[], sum:[], sumtext: [], cnt: []};
const sum = db.prepare('SELECT sum(like_count) FROM (SELECT like_count FROM videos t WHERE t.id > ? ORDER BY t.id LIMIT ?)').pluck();
const sumtext = db.prepare('SELECT sum(create_time), sum(length(region_code)) FROM (SELECT create_time, region_code FROM videos t WHERE t.id > ? ORDER BY t.id LIMIT ?)').raw(true);
const cnt = db.prepare('SELECT count(*) FROM (SELECT t.id FROM videos t WHERE t.id > ? ORDER BY t.id LIMIT ?)').pluck();
for (let r = 0; r < 4; r++) {
res.agg.push(cpu(() => { let after = -1; let n = 0; while (n < 100000) { const [c, last, text] = agg.get(after, 2000); Buffer.from(text); n += c; after = last; } }));
res.sum.push(cpu(() => sum.get(-1, 100000)));
res.sumtext.push(cpu(() => sumtext.get(-1, 100000)));
res.cnt.push(cpu(() => cnt.get(-1, 100000)));
}
console.log(res);
console.log(db.prepare("select count(*) from pragma_table_info('videos')").pluck().get(), db.pragma('page_size'));
