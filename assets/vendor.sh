#!/bin/sh
# Copies the front-end packages from the npm registry into the static files, with their
# licences. The copies are committed: the platform never fetches anything at run time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/jifang/web/static/vendor"
cd "$here"
npm ci --no-audit --no-fund --silent
rm -rf "$out" && mkdir -p "$out/htmx" "$out/echarts"
cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE "$out/htmx/"
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE \
   node_modules/echarts/NOTICE "$out/echarts/"
cp node_modules/zrender/LICENSE "$out/echarts/LICENSE-zrender"
cp node_modules/tslib/LICENSE.txt "$out/echarts/LICENSE-tslib"
for p in htmx.org echarts zrender tslib; do
  node -e "const p=require('./node_modules/$p/package.json');console.log(p.name+'@'+p.version+' '+p.license)"
done > "$out/VERSIONS.txt"
rm -rf node_modules
