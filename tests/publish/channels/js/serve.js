// What the test servers share: print one JSON line once up, then run until SIGTERM/SIGINT or until
// stdin closes (so a server never outlives the test process), and stop the server before exiting.
'use strict'

function serve(start) {
  start().then(({ info, stop }) => {
    process.stdout.write(JSON.stringify(info) + '\n')
    let closing = false
    const close = async () => {
      if (closing) return
      closing = true
      await stop()
      process.exit(0)
    }
    process.on('SIGTERM', close)
    process.on('SIGINT', close)
    process.stdin.on('end', close)
    process.stdin.resume()
  }).catch((error) => {
    process.stderr.write(String(error && error.stack || error) + '\n')
    process.exit(1)
  })
}

module.exports = { serve }
