import { parseAllDocuments, parse } from 'yaml';
import { readFileSync } from 'node:fs';
const text = readFileSync('/tmp/I-scale.yaml','utf8');
const mode = process.argv[2];
const t = process.cpuUsage();
if (mode === 'parse') parse(text, { version: '1.1' });
else if (mode === 'json') JSON.parse(JSON.stringify(parse(text)));
else { const d = parseAllDocuments(text, { version: '1.1' }); d[0].toJS(); }
const u = process.cpuUsage(t); console.log(mode, (u.user + u.system) / 1000);
