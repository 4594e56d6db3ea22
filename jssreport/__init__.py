"""jssreport: an estimate of the Upwork Job Success Score from your own records."""

__version__ = "0.1.0"
