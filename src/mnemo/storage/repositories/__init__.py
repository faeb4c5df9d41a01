"""One repository per aggregate. Every query takes the caller's uid."""
