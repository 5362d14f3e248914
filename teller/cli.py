def main() -> None:
    print("teller")
