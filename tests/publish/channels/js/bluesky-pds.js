// A real Bluesky PDS for the publisher's tests: @atproto/dev-env's TestNetworkNoAppView
// (a mock PLC directory plus a real @atproto/pds on SQLite; no Postgres, no Redis).
// Needs Node 22 (the npm package `node` supplies it in node_modules/.bin/node).
// Prints one JSON line {url, handle, did, appPassword} once the PDS answers, then runs until
// SIGTERM/SIGINT or until its stdin closes (so it never outlives the test process).
'use strict'
const { TestNetworkNoAppView } = require('@atproto/dev-env')
const { serve } = require('./serve')

serve(async () => {
  const network = await TestNetworkNoAppView.create({})
  const agent = network.pds.getClient()
  const handle = 'yours.test'
  await agent.createAccount({ email: 'yours@example.com', handle, password: 'account-password-not-used' })
  const appPassword = await agent.com.atproto.server.createAppPassword({ name: 'site-builder publish' })
  return {
    info: { url: network.pds.url, handle, did: agent.session.did, appPassword: appPassword.data.password },
    stop: () => network.close(),
  }
})
