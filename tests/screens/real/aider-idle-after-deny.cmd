python3
