"""Put-away: tasks and suggestions, confirming, the data behind them, capacities and rules by hand."""
