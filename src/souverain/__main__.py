from souverain.cli.app import main

main()
