from shared.cli import main

raise SystemExit(main())
