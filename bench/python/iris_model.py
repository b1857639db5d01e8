"""The scikit-learn model the Python servers serve: RandomForestClassifier on the same 120 training rows
as ml-api's artifact, with its hyperparameters. `python3 iris_model.py TRAINING_JSON MODEL_PICKLE` trains it;
the servers load the pickle from MODEL_PICKLE."""
import json
import os
import pickle
import sys

CLASSES = ["setosa", "versicolor", "virginica"]


def train(training_json: str, model_pickle: str) -> None:
    from sklearn.ensemble import RandomForestClassifier

    with open(training_json) as f:
        data = json.load(f)
    hp = data["hyperparameters"]
    model = RandomForestClassifier(
        n_estimators=hp["n_estimators"],
        max_depth=hp["max_depth"],
        min_samples_split=hp["min_samples"],
        max_features=hp["max_features"],
        random_state=hp["seed"],
    )
    model.fit(data["features"], data["labels"])
    with open(model_pickle, "wb") as f:
        pickle.dump(model, f)


def load():
    with open(os.environ["MODEL_PICKLE"], "rb") as f:
        return pickle.load(f)


def answer(model, features: list) -> dict:
    probabilities = model.predict_proba([features])[0]
    best = int(probabilities.argmax())
    return {
        "prediction": best,
        "class": CLASSES[best],
        "probabilities": {name: float(p) for name, p in zip(CLASSES, probabilities)},
        "confidence": float(probabilities[best]),
    }


if __name__ == "__main__":
    train(sys.argv[1], sys.argv[2])
