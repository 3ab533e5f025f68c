# install_packed APP_DIR: builds the package if needed (both builds), packs it with `npm pack` and
# extracts the tarball into APP_DIR/node_modules/nest-supertokens, as `npm install <tarball>`
# would place it (so a file missing from `files` is missing there too). Sourced by the scripts
# that test the package as users install it (test-commonjs.sh, test-fixtures.sh).
install_packed() {
  local app="$1"
  [ -f dist/auth/index.js ] && [ -f dist/cjs/auth/index.js ] || npm run build
  mkdir -p "$app/node_modules/nest-supertokens"
  local tarball
  tarball="$(npm pack --silent --pack-destination "$app")"
  tar -xzf "$app/$tarball" -C "$app/node_modules/nest-supertokens" --strip-components=1
}
