"""What people do with advisor: assess an answer file, a batch, an interview
in the terminal, browse the rules, and the web app; the messages errors
become."""
