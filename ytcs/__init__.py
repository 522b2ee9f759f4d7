"""ytcs: health information system for Vietnam's grassroots health network."""
