"""The demo (setup_demo) and large generated data (generate_data), made through every app: stands above them all."""
