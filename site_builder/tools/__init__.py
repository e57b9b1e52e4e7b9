"""Review and test tools for the built site: a loopback server, template samples, a browser, screenshots."""
