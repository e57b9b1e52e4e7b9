// telegram-test-api (npm) on loopback for the publisher's tests: `node telegram-server.js PORT`.
// Prints one JSON line {url} once listening; stops on SIGTERM/SIGINT or when stdin closes.
'use strict'
const TelegramServer = require('telegram-test-api')
const { serve } = require('./serve')

serve(async () => {
  const port = Number(process.argv[2])
  const server = new TelegramServer({ port, host: '127.0.0.1', storage: 'RAM', storeTimeout: 600 })
  await server.start()
  return { info: { url: server.config.apiURL }, stop: () => server.stop() }
})
