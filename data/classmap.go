package data

import (
	"fmt"
	"strings"
)

// ClassMap maps the category names of another data set (lower case) to our
// classes; names it lacks are skipped by the readers.
type ClassMap map[string]Class

// DefaultCOCOMap is COCO's mapping: car, truck and bus are cars; person is a
// person; stop sign and traffic light are signs.
var DefaultCOCOMap = ClassMap{"car": Car, "truck": Car, "bus": Car, "person": Person,
	"stop sign": Sign, "traffic light": Sign, "sign": Sign}

// DefaultKITTIMap is KITTI's mapping: Car, Van and Truck are cars;
// Pedestrian, Person_sitting and Cyclist are persons. KITTI has no signs; the
// name Sign is accepted so that our own KITTI files read back.
var DefaultKITTIMap = ClassMap{"car": Car, "van": Car, "truck": Car, "pedestrian": Person,
	"person_sitting": Person, "cyclist": Person, "sign": Sign}

// ParseClassMap reads "name=class,name=class" (e.g. "truck=car,stop
// sign=sign") on top of base; a class that is not car, sign or person is an
// error listing the known ones.
func ParseClassMap(spec string, base ClassMap) (ClassMap, error) {
	m := ClassMap{}
	for k, v := range base {
		m[k] = v
	}
	for _, part := range strings.Split(spec, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		name, cls, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("class map entry %q: expected name=class", part)
		}
		c, err := ParseClass(cls)
		if err != nil {
			return nil, fmt.Errorf("class map entry %q: %w", part, err)
		}
		m[strings.ToLower(strings.TrimSpace(name))] = c
	}
	return m, nil
}

// lookup finds name's class, ignoring case.
func (m ClassMap) lookup(name string) (Class, bool) {
	c, ok := m[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}
