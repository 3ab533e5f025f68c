# Installs Nest 11 (CommonJS, what most existing Nest apps run) into .nest11/, for the suites that
# check the package against it. Sourced by scripts/test-nest11.sh and scripts/test-commonjs.sh.
mkdir -p .nest11
cat > .nest11/package.json <<'JSON'
{
  "private": true,
  "dependencies": {
    "@nestjs/common": "^11.1.0",
    "@nestjs/core": "^11.1.0",
    "@nestjs/platform-express": "^11.1.0",
    "@nestjs/testing": "^11.1.0",
    "@nestjs/config": "^4.0.0",
    "reflect-metadata": "^0.2.2",
    "rxjs": "^7.8.2"
  }
}
JSON
(cd .nest11 && npm install --no-audit --no-fund --loglevel=error)
echo "Nest $(node -p "require('./.nest11/node_modules/@nestjs/core/package.json').version")"
