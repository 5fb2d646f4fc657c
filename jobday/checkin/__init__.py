"""The door: badge scans (camera, USB scanner, offline), gate devices and the arrivals board."""
