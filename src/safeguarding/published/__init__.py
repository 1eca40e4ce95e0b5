"""Published statistics read into the platform's tidy table, to sit beside a council's own
figures. No Django here: the web app and the command line both call these readers."""
