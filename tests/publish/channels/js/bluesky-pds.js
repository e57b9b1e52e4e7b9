// A real Bluesky PDS for the publisher's tests: @atproto/dev-env's TestNetworkNoAppView
// (a mock PLC directory plus a real @atproto/pds on SQLite; no Postgres, no Redis).
// Needs Node 22 (the npm package `node` supplies it in node_modules/.bin/node).
// Prints one JSON line {url, handle, did, appPassword} once the PDS answers, then runs until
// SIGTERM/SIGINT or until its stdin closes (so it never outlives the test process).
'use strict'
const { TestNetworkNoAppView } = require('@atproto/dev-env')

async function main() {
  const network = await TestNetworkNoAppView.create({})
  const agent = network.pds.getClient()
  const handle = 'yours.test'
  await agent.createAccount({ email: 'yours@example.com', handle, password: 'account-password-not-used' })
  const appPassword = await agent.com.atproto.server.createAppPassword({ name: 'site-builder publish' })
  process.stdout.write(JSON.stringify({
    url: network.pds.url, handle, did: agent.session.did, appPassword: appPassword.data.password,
  }) + '\n')
  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    await network.close()
    process.exit(0)
  }
  process.on('SIGTERM', close)
  process.on('SIGINT', close)
  process.stdin.on('end', close)
  process.stdin.resume()
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + '\n')
  process.exit(1)
})
