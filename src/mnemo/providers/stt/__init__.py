"""Speech to text: the local recognizer and hosted services behind one port."""
