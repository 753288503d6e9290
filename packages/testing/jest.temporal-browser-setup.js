// Jest globalSetup for projects that need both a Temporal dev server and a real browser: the Temporal
// CLI setup (which also builds the workspace), then the Chromium one. Jest takes one globalSetup per project.
'use strict';
const temporalGlobalSetup = require('./jest.global-setup.js');
const browserGlobalSetup = require('./jest.browser-setup.js');

module.exports = async function temporalAndBrowserGlobalSetup(globalConfig, projectConfig) {
  await temporalGlobalSetup(globalConfig, projectConfig);
  await browserGlobalSetup(globalConfig, projectConfig);
};
