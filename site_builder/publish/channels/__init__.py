"""One module per network; each exposes a class satisfying site_builder.publish.channel.Channel."""
