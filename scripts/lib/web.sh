# The web app (web/): install its npm dependencies when needed, build it, test it.
# Source it after common.sh; it defines functions only. Needs node (>= 18.19) and npm on PATH
# (Debian 12: the nodejs and npm packages).

# `npm ci` only when node_modules is missing or older than the lock file: npm rewrites
# node_modules/.package-lock.json on every install, so its age is the install's age.
crmd_web_install() {
  local web=$1
  if [[ ! -d "$web/node_modules" || "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]]; then
    crmd_log "web: npm ci"
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Builds web/dist: hashed assets under dist/assets, a .gz copy of every text asset, and the
# gzipped JS total on stdout (the build fails above the budget in web/scripts/compress.mjs).
crmd_build_web() {
  local web; web="$(crmd_root)/web"
  crmd_web_install "$web"
  crmd_log "web: building web/dist"
  (cd "$web" && npm run --silent build)
}

# Runs the web app's unit tests (vitest).
crmd_test_web() {
  local web; web="$(crmd_root)/web"
  crmd_web_install "$web"
  crmd_log "web: unit tests"
  (cd "$web" && npm test --silent)
}
