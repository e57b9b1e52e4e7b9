// telegram-test-api (npm) on loopback for the publisher's tests: `node telegram-server.js PORT`.
// Prints one JSON line {url} once listening; stops on SIGTERM/SIGINT or when stdin closes.
'use strict'
const TelegramServer = require('telegram-test-api')

async function main() {
  const port = Number(process.argv[2])
  const server = new TelegramServer({ port, host: '127.0.0.1', storage: 'RAM', storeTimeout: 600 })
  await server.start()
  process.stdout.write(JSON.stringify({ url: server.config.apiURL }) + '\n')
  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    await server.stop()
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
