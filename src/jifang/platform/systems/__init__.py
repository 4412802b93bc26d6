"""Technical prevention systems (技防系统), their devices, and products."""
