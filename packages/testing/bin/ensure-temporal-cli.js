#!/usr/bin/env node
'use strict';
require('../dist/bin/ensure-temporal-cli.js')
  .main()
  .then((code) => {
    process.exitCode = code;
  });
